'use strict';
(() => {
  const $ = (id) => document.getElementById(id);
  const { api, el } = Console;
  const PAGE = 10;
  const rows = new Map(); // request id -> table row
  const latest = new Map(); // request id -> last status event, for events that beat the POST
  let voices = [];
  let currentId = null;
  let audioUrl = null;
  let nextCursor = null;
  let stream = null;
  const show = Console.signInPage('/tts/voices', start, () => { if (stream) stream.stop(); });

  async function start() {
    show(true);
    try {
      await loadVoices();
      await loadHistory(true);
    } catch (err) {
      if (err.status === 401) { Console.clearKey(); show(false); return; }
      $('speak-error').textContent = err.message;
    }
    stream = Console.events('/tts/events', onEvent, (state) => {
      $('events-state').textContent = 'Live updates: ' + state;
      if (state === 'connected' && currentId) resync(currentId);
    });
    $('text').focus();
    refreshQueued();
  }

  /**
   * Queued requests show their place in line and when they should be done (GET /tts/status answers
   * with a "queue" object while a request is queued). Places move without a status event, so the
   * queued rows on the page (at most QUEUED_SHOWN) are read again every 5 s: at most 120 of the
   * poll budget's 600 a minute.
   */
  const QUEUED_SHOWN = 10;
  let refreshTimer = null;
  async function refreshQueued() {
    clearTimeout(refreshTimer);
    const queued = [...rows.values()].filter((tr) => tr.item.status === 'queued').slice(0, QUEUED_SHOWN);
    for (const tr of queued) {
      try {
        const s = await (await api('/tts/status/' + tr.item.request_id)).json();
        tr.item.status = s.status;
        tr.item.queue = s.queue || null;
        renderRow(tr);
        if (tr.item.request_id === currentId) $('current-queue').textContent = queueText(tr.item);
      } catch (ignored) { /* the next round will tell */ }
    }
    if (!$('app').hidden) refreshTimer = setTimeout(refreshQueued, queued.length ? 5000 : 10000);
  }

  function queueText(item) {
    const q = item.queue;
    if (item.status !== 'queued' || !q) return '';
    let text = 'Position ' + q.position + (q.at_least ? '+' : '') + ' in line';
    if (q.held) text += ', after ' + q.your_jobs_ahead + ' of your own';
    if (q.eta_seconds != null) text += ', ready in about ' + Math.max(1, Math.ceil(q.eta_seconds)) + ' s';
    else if (q.starts_in_seconds != null) text += ', starts in about ' + Math.max(1, Math.ceil(q.starts_in_seconds)) + ' s';
    return text;
  }

  async function loadVoices() {
    voices = (await (await api('/tts/voices')).json()).voices;
    const languages = [...new Set(voices.map((v) => v.language))].sort();
    const select = $('language');
    select.replaceChildren(...languages.map((l) => el('option', { value: l }, l)));
    select.value = languages.includes('vi') ? 'vi' : (languages.includes('en-US') ? 'en-US' : languages[0]);
    filterVoices();
  }

  function filterVoices() {
    const language = $('language').value;
    $('text').setAttribute('lang', language || '');
    const matching = voices.filter((v) => v.language === language);
    $('voice').replaceChildren(
      el('option', { value: '' }, 'Default for ' + language),
      ...matching.map((v) => el('option', { value: v.id },
        v.name + ' (' + v.engine + (v.gender ? ', ' + v.gender : '') + ')')));
  }
  $('language').addEventListener('change', filterVoices);
  $('speed').addEventListener('input', () => { $('speed-value').textContent = Number($('speed').value).toFixed(1); });
  $('pitch').addEventListener('input', () => { $('pitch-value').textContent = $('pitch').value; });

  $('speak-form').addEventListener('submit', async (e) => {
    e.preventDefault();
    $('speak-error').textContent = '';
    $('speak-button').disabled = true;
    const body = {
      text: $('text').value,
      format: $('format').value,
      voice_settings: {
        language: $('language').value,
        voice: $('voice').value || null,
        speed: Number($('speed').value),
        pitch: Number($('pitch').value),
      },
    };
    try {
      const submitted = await (await api('/tts/request', {
        method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(body),
      })).json();
      follow(submitted.request_id, submitted.status, submitted.status === 'completed' ? 1 : 0);
      addRow({ request_id: submitted.request_id, status: submitted.status, voice: submitted.voice,
        created_at: submitted.created_at }, true);
      const early = latest.get(submitted.request_id);
      if (early) onStatus(early);
      if (submitted.status === 'completed') playAudio(submitted.request_id);
    } catch (err) {
      $('speak-error').textContent = err.message;
    } finally {
      $('speak-button').disabled = false;
    }
  });

  function follow(id, status, progress) {
    currentId = id;
    $('current').hidden = false;
    $('current-id').textContent = 'Request ' + id;
    $('current-error').textContent = '';
    $('download').hidden = true;
    $('player').removeAttribute('src');
    captions = null;
    $('captions').replaceChildren();
    delete $('captions').dataset.sentence;
    setCurrent(status, progress);
  }

  function setCurrent(status, progress) {
    if (status !== 'queued') $('current-queue').textContent = '';
    $('current-status').textContent = status + (status === 'processing' ? ' ' + Math.round(progress * 100) + '%' : '');
    $('current-progress').value = status === 'completed' ? 1 : progress;
  }

  function onEvent(name, data) {
    if (name === 'status') onStatus(JSON.parse(data));
  }

  function onStatus(event) {
    latest.set(event.request_id, event);
    if (latest.size > 200) latest.delete(latest.keys().next().value);
    updateRow(event);
    if (event.request_id !== currentId) return;
    setCurrent(event.status, event.progress || 0);
    if (event.status === 'failed') $('current-error').textContent = event.error || 'The request failed.';
    if (event.status === 'completed' && !$('player').getAttribute('src')) playAudio(currentId);
  }

  /** After a reconnect, events may have been missed: read the current status once. */
  async function resync(id) {
    try {
      const s = await (await api('/tts/status/' + id)).json();
      onStatus({ request_id: id, status: s.status, progress: s.progress, error: s.error,
        audio_duration_ms: s.audio && s.audio.duration_seconds ? s.audio.duration_seconds * 1000 : null });
    } catch (ignored) { /* the next event will tell */ }
  }

  async function fetchAudio(id) {
    const response = await api('/tts/audio/' + id);
    const type = response.headers.get('Content-Type') || 'audio/mpeg';
    const ext = type.includes('wav') ? 'wav' : type.includes('ogg') ? 'ogg' : type.includes('mpeg') ? 'mp3' : 'bin';
    return { blob: await response.blob(), name: id + '.' + ext };
  }

  async function playAudio(id) {
    try {
      const { blob, name } = await fetchAudio(id);
      if (currentId !== id) follow(id, 'completed', 1);
      if (audioUrl) URL.revokeObjectURL(audioUrl);
      audioUrl = URL.createObjectURL(blob);
      const player = $('player');
      player.src = audioUrl;
      player.dataset.requestId = id;
      const link = $('download');
      link.href = audioUrl;
      link.download = name;
      link.textContent = 'Download ' + name;
      link.hidden = false;
      loadCaptions(id);
    } catch (err) {
      $('current-error').textContent = err.message;
    }
  }

  /**
   * Captions under the player: the sentence being heard, its word being spoken highlighted, from
   * GET /tts/timings (the same timings as the captions endpoint).
   */
  let captions = null;
  async function loadCaptions(id) {
    try {
      const answer = await (await api('/tts/timings/' + id)).json();
      if (currentId !== id) return;
      captions = {
        sentences: answer.timings.filter((t) => t.unit === 'sentence'),
        words: answer.timings.filter((t) => t.unit === 'word'),
      };
      showCaption(0);
    } catch (ignored) {
      captions = null; // no captions, the audio still plays
    }
  }

  function showCaption(ms) {
    const box = $('captions');
    if (!captions || !captions.sentences.length) return;
    const sentence = captions.sentences.find((s) => ms < s.end_ms) || captions.sentences[captions.sentences.length - 1];
    if (box.dataset.sentence !== String(sentence.start_ms)) {
      box.dataset.sentence = String(sentence.start_ms);
      const words = captions.words.filter((w) => w.start_ms >= sentence.start_ms && w.start_ms < sentence.end_ms);
      // the sentence as written (with its punctuation) where its words can be found in it
      const written = sentence.text.length === sentence.char_end - sentence.char_start;
      const parts = [];
      let at = 0;
      for (const w of words) {
        const from = w.char_start - sentence.char_start;
        const to = w.char_end - sentence.char_start;
        if (written && from >= at && to <= sentence.text.length) {
          parts.push(document.createTextNode(sentence.text.slice(at, from)));
          parts.push(el('span', { 'data-start': w.start_ms, 'data-end': w.end_ms }, sentence.text.slice(from, to)));
          at = to;
        } else {
          parts.push(document.createTextNode(parts.length ? ' ' : ''));
          parts.push(el('span', { 'data-start': w.start_ms, 'data-end': w.end_ms }, w.text));
        }
      }
      if (written) parts.push(document.createTextNode(sentence.text.slice(at)));
      box.replaceChildren(...parts);
    }
    for (const span of box.querySelectorAll('span')) {
      const speaking = ms >= Number(span.dataset.start) && ms < Number(span.dataset.end);
      span.classList.toggle('speaking', speaking);
      if (speaking) span.setAttribute('aria-current', 'true');
      else span.removeAttribute('aria-current');
    }
  }

  // timeupdate comes about four times a second; while playing, every frame keeps up with the words
  $('player').addEventListener('timeupdate', () => showCaption($('player').currentTime * 1000));
  $('player').addEventListener('play', function keepUp() {
    const player = $('player');
    if (player.paused || player.ended) return;
    showCaption(player.currentTime * 1000);
    requestAnimationFrame(keepUp);
  });

  async function download(id) {
    try {
      const { blob, name } = await fetchAudio(id);
      const url = URL.createObjectURL(blob);
      const a = el('a', { href: url, download: name });
      document.body.append(a);
      a.click();
      a.remove();
      setTimeout(() => URL.revokeObjectURL(url), 10000);
    } catch (err) {
      $('speak-error').textContent = err.message;
    }
  }

  async function cancel(id) {
    try {
      const s = await (await api('/tts/request/' + id, { method: 'DELETE' })).json();
      updateRow({ request_id: id, status: s.status });
    } catch (err) {
      $('speak-error').textContent = err.message;
    }
  }

  async function loadHistory(first) {
    const query = '/tts/requests?limit=' + PAGE + (first || !nextCursor ? '' : '&cursor=' + encodeURIComponent(nextCursor));
    const page = await (await api(query)).json();
    if (first) { $('history').tBodies[0].replaceChildren(); rows.clear(); }
    page.items.forEach((item) => addRow(item, false));
    nextCursor = page.next_cursor || null;
    $('more').hidden = !nextCursor;
  }
  $('more').addEventListener('click', () => loadHistory(false).catch((err) => { $('speak-error').textContent = err.message; }));

  function addRow(item, onTop) {
    if (rows.has(item.request_id)) return;
    const tr = el('tr', { 'data-request-id': item.request_id });
    tr.item = item;
    rows.set(item.request_id, tr);
    renderRow(tr);
    const body = $('history').tBodies[0];
    if (onTop) body.prepend(tr); else body.append(tr);
  }

  function updateRow(event) {
    const tr = rows.get(event.request_id);
    if (!tr) return;
    tr.item.status = event.status;
    if (event.audio_duration_ms != null) tr.item.duration_seconds = event.audio_duration_ms / 1000;
    if (event.error) tr.item.error = event.error;
    renderRow(tr);
  }

  function renderRow(tr) {
    const item = tr.item;
    const when = item.created_at ? new Date(item.created_at).toLocaleString() : '';
    const actions = el('td');
    const id = item.request_id;
    if (item.status === 'completed') {
      actions.append(
        el('button', { type: 'button', class: 'secondary', 'aria-label': 'Play request ' + id, onclick: () => playAudio(id) }, 'Play'),
        el('button', { type: 'button', class: 'secondary', 'aria-label': 'Download request ' + id, onclick: () => download(id) }, 'Download'));
    } else if (item.status === 'queued') {
      actions.append(el('button', { type: 'button', class: 'secondary', 'aria-label': 'Cancel request ' + id, onclick: () => cancel(id) }, 'Cancel'));
    }
    const status = el('td', { class: 'status' }, item.status);
    if (item.status === 'queued' && item.queue) status.append(el('div', { class: 'help queue' }, queueText(item)));
    if (item.error) status.append(el('div', { class: 'help' }, item.error));
    tr.replaceChildren(
      el('td', {}, el('time', { datetime: item.created_at || '' }, when)),
      status,
      el('td', {}, item.voice || ''),
      el('td', {}, item.duration_seconds != null ? item.duration_seconds.toFixed(1) + ' s' : ''),
      actions);
  }
})();
