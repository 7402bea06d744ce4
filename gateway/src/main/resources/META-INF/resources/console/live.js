// GET /api/stream as server-sent events. EventSource cannot send the bearer token, so the stream is read with fetch:
// the same text/event-stream format, resumed with Last-Event-ID after a drop (the gateway replays what was missed,
// or sends `reset` when it cannot, and then every view reloads).
import { session } from './api.js';

const listeners = new Set();
const stateListeners = new Set();
let controller = null;
let lastEventId = null;
let retryMs = 2000;
let state = 'off';
let timer = null;

function setState(s) {
  state = s;
  stateListeners.forEach((fn) => fn(s));
}

export function liveState() {
  return state;
}

/** fn({type, leadId, contactId, data, time}) for each event; returns the unsubscribe function. */
export function onLive(fn) {
  listeners.add(fn);
  return () => listeners.delete(fn);
}

export function onLiveState(fn) {
  stateListeners.add(fn);
  fn(state);
  return () => stateListeners.delete(fn);
}

function dispatch(type, data) {
  let payload = {};
  try {
    payload = data ? JSON.parse(data) : {};
  } catch (e) {
    return;
  }
  const event = { ...payload, type };
  listeners.forEach((fn) => {
    try {
      fn(event);
    } catch (e) {
      console.error('live listener failed', e);
    }
  });
}

export function startLive() {
  if (controller || !session.signedIn) return;
  controller = new AbortController();
  run(controller.signal);
}

export function stopLive() {
  if (controller) controller.abort();
  controller = null;
  clearTimeout(timer);
  lastEventId = null;
  setState('off');
}

async function run(signal) {
  setState('connecting');
  try {
    const headers = { Accept: 'text/event-stream', Authorization: `Bearer ${session.token}` };
    if (lastEventId) headers['Last-Event-ID'] = lastEventId;
    const response = await fetch('/api/stream', { headers, signal, cache: 'no-store' });
    if (response.status === 401 || response.status === 403) {
      setState('refused');
      controller = null;
      return;
    }
    if (!response.ok || !response.body) throw new Error(`stream answered ${response.status}`);
    setState('live');
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
        parse(block);
      }
    }
    throw new Error('stream closed');
  } catch (e) {
    if (signal.aborted) return;
    setState('reconnecting');
    timer = setTimeout(() => {
      if (!signal.aborted) run(signal);
    }, retryMs);
  }
}

function parse(block) {
  let type = 'message';
  const data = [];
  let id = null;
  for (const line of block.split(/\r?\n/)) {
    if (!line || line.startsWith(':')) continue;
    const colon = line.indexOf(':');
    const name = colon < 0 ? line : line.slice(0, colon);
    const value = colon < 0 ? '' : line.slice(colon + 1).replace(/^ /, '');
    if (name === 'event') type = value;
    else if (name === 'data') data.push(value);
    else if (name === 'id') id = value;
    else if (name === 'retry' && /^\d+$/.test(value)) retryMs = Number(value);
  }
  if (id !== null) lastEventId = id;
  if (data.length || type !== 'message') dispatch(type, data.join('\n'));
}
