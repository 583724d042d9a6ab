'use strict';
// Shared by the console pages. The API key lives only in sessionStorage (this tab) and travels
// only in the Authorization header: never in a URL, never in a cookie.
const Console = (() => {
  const KEY = 'tts-api-key';

  const key = () => sessionStorage.getItem(KEY);
  const setKey = (k) => sessionStorage.setItem(KEY, k);
  const clearKey = () => sessionStorage.removeItem(KEY);

  class ApiError extends Error {
    constructor(status, message) { super(message); this.status = status; }
  }

  async function api(path, options = {}) {
    const headers = Object.assign({}, options.headers, { Authorization: 'Bearer ' + key() });
    const response = await fetch(path, Object.assign({}, options, { headers, cache: 'no-store' }));
    if (!response.ok) {
      let message = response.status + ' ' + response.statusText;
      try {
        const problem = await response.json();
        message = problem.detail || problem.title || message;
        if (problem.errors) {
          message += ': ' + problem.errors.map((e) => e.field + ' ' + e.message).join('; ');
        }
      } catch (ignored) { /* not JSON */ }
      throw new ApiError(response.status, message);
    }
    return response;
  }

  /** Signs in with the key if the service accepts it; the check is a call the key may make. */
  async function signIn(candidate, checkPath) {
    const response = await fetch(checkPath, { headers: { Authorization: 'Bearer ' + candidate } });
    if (response.status === 401) throw new ApiError(401, 'This API key is not valid.');
    if (response.status === 403) throw new ApiError(403, 'This page needs an admin API key.');
    if (!response.ok) throw new ApiError(response.status, 'Sign-in failed: HTTP ' + response.status);
    setKey(candidate);
  }

  /**
   * Wires a page's sign-in form (#sign-in-form, #api-key, #sign-in-error) and sign-out button to
   * the key in this tab, checking a candidate key against checkPath. Calls start() once signed in
   * (now, if a key is already kept) and onSignOut() before the page reloads. Returns show(signedIn),
   * which switches between the sign-in form and the page (#sign-in, #app, #sign-out).
   */
  function signInPage(checkPath, start, onSignOut = () => {}) {
    const $ = (id) => document.getElementById(id);
    const show = (signedIn) => {
      $('sign-in').hidden = signedIn;
      $('app').hidden = !signedIn;
      $('sign-out').hidden = !signedIn;
    };
    $('sign-in-form').addEventListener('submit', async (e) => {
      e.preventDefault();
      $('sign-in-error').textContent = '';
      try {
        await signIn($('api-key').value.trim(), checkPath);
        $('api-key').value = '';
        start();
      } catch (err) {
        $('sign-in-error').textContent = err.message;
        $('api-key').focus();
      }
    });
    $('sign-out').addEventListener('click', () => {
      clearKey();
      onSignOut();
      location.reload();
    });
    // Deferred so the page's own setup (below its call) is done before start() runs.
    queueMicrotask(() => { if (key()) start(); else show(false); });
    return show;
  }

  /**
   * Reads server-sent events from path with fetch(), which unlike EventSource can send the
   * Authorization header. Calls onEvent(name, data) for each event and onState(text) on connect
   * and loss; reconnects with backoff until stop() is called.
   */
  function events(path, onEvent, onState) {
    let controller = null;
    let stopped = false;
    let delay = 1000;

    async function connect() {
      controller = new AbortController();
      try {
        const response = await api(path, {
          headers: { Accept: 'text/event-stream' }, signal: controller.signal });
        const reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
        let buffer = '';
        for (;;) {
          const { value, done } = await reader.read();
          if (done) break;
          buffer += value;
          let end;
          while ((end = buffer.search(/\r?\n\r?\n/)) >= 0) {
            const block = buffer.slice(0, end);
            buffer = buffer.slice(end).replace(/^\r?\n\r?\n/, '');
            let name = 'message';
            const data = [];
            for (const line of block.split(/\r?\n/)) {
              if (line.startsWith(':')) continue;
              const colon = line.indexOf(':');
              const field = colon < 0 ? line : line.slice(0, colon);
              const val = colon < 0 ? '' : line.slice(colon + 1).replace(/^ /, '');
              if (field === 'event') name = val;
              else if (field === 'data') data.push(val);
            }
            if (data.length) {
              if (name === 'ready') { delay = 1000; onState('connected'); }
              onEvent(name, data.join('\n'));
            }
          }
        }
      } catch (e) {
        if (stopped) return;
        if (e.status === 401) { onState('signed out'); return; }
      }
      if (stopped) return;
      onState('reconnecting');
      setTimeout(connect, delay);
      delay = Math.min(delay * 2, 30000);
    }

    connect();
    return { stop() { stopped = true; if (controller) controller.abort(); } };
  }

  function el(tag, attrs = {}, ...children) {
    const node = document.createElement(tag);
    for (const [k, v] of Object.entries(attrs)) {
      if (k === 'onclick') node.addEventListener('click', v); else node.setAttribute(k, v);
    }
    for (const c of children) node.append(c);
    return node;
  }

  return { key, setKey, clearKey, api, signIn, signInPage, events, el, ApiError };
})();
