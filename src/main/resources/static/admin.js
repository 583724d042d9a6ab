'use strict';
(() => {
  const $ = (id) => document.getElementById(id);
  const { api, el } = Console;
  const OVERVIEW = '/admin/console/overview';
  const REFRESH_MS = 3000;
  let timer = null;
  const show = Console.signInPage(OVERVIEW, start, () => clearTimeout(timer));

  function start() {
    show(true);
    refresh();
  }

  const rowsOf = (id, rows) => $(id).tBodies[0].replaceChildren(...rows);
  const td = (text) => el('td', {}, text == null ? '' : String(text));

  async function refresh() {
    try {
      const o = await (await api(OVERVIEW)).json();
      $('admin-error').textContent = '';
      for (const p of ['high', 'normal', 'low']) $('depth-' + p).textContent = o.queue_depth[p];
      $('depth-held').textContent = o.queue_held_total;
      $('jobs-completed').textContent = o.jobs.completed_last_minute;
      $('jobs-failed').textContent = o.jobs.failed_last_minute;
      $('workers-alive').textContent = o.workers.alive;
      $('workers-busy').textContent = o.workers.busy;
      $('cache-ratio').textContent = o.cache.hit_ratio == null ? '–'
        : Math.round(o.cache.hit_ratio * 100) + '% (' + o.cache.hits + '/' + o.cache.lookups + ')';
      $('dead-count').textContent = o.dead_letters.count;
      rowsOf('workers', o.workers.consumers.map((w) => el('tr', {}, td(w.name),
        td(!w.alive ? 'gone' : w.pending_jobs > 0 ? 'busy' : 'idle'), td(w.pending_jobs),
        td((w.idle_millis / 1000).toFixed(1) + ' s'))));
      rowsOf('dead', o.dead_letters.newest.map((d) => el('tr', {}, td(d.failed_at),
        el('td', { class: 'mono' }, d.request_id || ''), td(d.attempts), td(d.error))));
      rowsOf('usage', o.usage_today.users.map((u) => el('tr', {}, td(u.user), td(u.requests),
        td(u.characters), td(u.audio_seconds.toFixed(1)))));
      $('updated').textContent = new Date(o.generated_at).toLocaleTimeString();
      $('updated').setAttribute('datetime', o.generated_at);
    } catch (err) {
      if (err.status === 401 || err.status === 403) { Console.clearKey(); show(false); $('sign-in-error').textContent = err.message; return; }
      $('admin-error').textContent = 'Could not refresh: ' + err.message;
    }
    timer = setTimeout(refresh, REFRESH_MS);
  }
})();
