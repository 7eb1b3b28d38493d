// The demo's console. Never holds the API key: it asks the demo server for short-lived, read-only tokens. For
// the chosen time range it pre-fills each device's chart from the History REST API (with each row's cursor),
// then follows every device's stream with the Streams browser client (streams-client.js, built from
// streams-js), which resumes each device after the last reading drawn, so nothing is missed or drawn twice at
// the seam, and does the same on every reconnect, replaying devices that appeared while it was offline.
import { StreamsClient } from './streams-client.js';
import { DeviceBoard } from './devices.js';
import { ServerPanel } from './server.js';
import { TopicView } from './topics.js';

const PAGE = 1000;        // the History REST's largest page
const MAX_PAGES = 5;      // per range: the newest 5,000 readings of it
const STATES = { connecting: 'connecting…', connected: 'live', reconnecting: 'offline, retrying…', closed: 'closed' };

const board = new DeviceBoard(document.querySelector('#device-table tbody'), document.getElementById('devices'),
  document.getElementById('empty'));
new ServerPanel(document.getElementById('metrics'), document.getElementById('health'));
const topics = new TopicView(document.getElementById('topic-form'), document.getElementById('topic-pattern'),
  document.getElementById('topic-events'), document.getElementById('topic-status'));
const rangeSelect = document.getElementById('range');
const statusEl = document.getElementById('status');
let project = null;
let client = null;
let generation = 0;       // a newer range load makes an older one stop where it is

function setStatus(state, text) {
  statusEl.className = 'pill ' + state;
  statusEl.textContent = text || state;
  document.body.dataset.connection = state;
}

async function fetchToken() {
  const response = await fetch('/demo/token', { cache: 'no-store' });
  if (!response.ok) throw new Error('token request failed: ' + response.status);
  return response.json();
}

// The range from the History REST API, newest first in pages (all for one fixed end, so pages do not shift),
// added oldest first with each reading's cursor. Returns how many readings it drew.
async function prefill(token, rangeSeconds, load) {
  const end = new Date();
  const query = { fields: [{ path: 'time' }, { path: 'deviceId' }, { path: 'id' }, { path: '*', alias: 'data' }] };
  const rows = [];
  for (let page = 0; page < MAX_PAGES; page++) {
    const params = new URLSearchParams({
      start: new Date(end.getTime() - rangeSeconds * 1000).toISOString(), end: end.toISOString(),
      page: String(page), perPage: String(PAGE), encodedQuery: JSON.stringify(query),
    });
    const response = await fetch(`/v1/projects/${encodeURIComponent(project)}/stream?${params}`,
      { headers: { Authorization: 'Bearer ' + token }, cache: 'no-store' });
    if (!response.ok || load !== generation) break;
    const body = await response.json();
    rows.push(...body.list);
    if (body.list.length < PAGE) break;
  }
  for (const row of rows.reverse()) {
    if (row.deviceId) board.add(row.deviceId, row.time, row.data, row.id, false);
  }
  board.drawAll();
  return { drawn: rows.length, end };
}

async function load() {
  const load = ++generation;
  const rangeSeconds = Number(rangeSelect.value);
  if (client) client.close();
  board.clear(rangeSeconds * 1000);
  Object.assign(document.body.dataset, { prefilled: '0', duplicates: '0', gaps: '0' });
  setStatus('connecting', STATES.connecting);
  let grant;
  for (let wait = 250; ; wait = Math.min(wait * 2, 10000)) {
    try {
      grant = await fetchToken();
      break;
    } catch (e) {
      setStatus('reconnecting', STATES.reconnecting);
      await new Promise((resume) => setTimeout(resume, wait / 2 + Math.random() * wait / 2));
    }
  }
  if (load !== generation) return;
  project = grant.project;
  document.getElementById('project').textContent = '· ' + project;
  // Devices without history start a few seconds before the query's end: their first readings may still have
  // been on their way to the disk when it ran (they cannot be doubled: those devices had no rows).
  let since = new Date(Date.now() - 5000).toISOString();
  try {
    const filled = await prefill(grant.token, rangeSeconds, load);
    document.body.dataset.prefilled = String(filled.drawn);
    since = new Date(filled.end.getTime() - 5000).toISOString();
  } catch (e) {
    // history is optional (an in-memory server has none): the live stream and "since" still cover the seam
  }
  if (load !== generation) return;
  client = new StreamsClient({
    url: location.origin,
    token: async () => (await fetchToken()).token,
    onStateChange: (state) => setStatus(state, STATES[state]),
    onError: (code, message) => setStatus('error', 'error ' + code + ': ' + message),
  });
  client.subscribe('devices.*.stream', {
    onEvent: (event) => {
      if (typeof event.deviceId === 'string') live(event);
    },
    onGap: (gap) => setStatus('error', `gap on ${gap.topic}: ${gap.missed < 0 ? 'some' : gap.missed} readings missed`),
    onRefused: (code, message) => setStatus('error', 'error ' + code + ': ' + message),
  }, { resume: board.cursors(), since });
  client.connect();
}

// Every live reading's offset against the last drawn one of its device: a repeated or skipped offset at the
// seam would show here (and the screenshot test reads it).
function live(event) {
  const before = board.devices.get(event.deviceId);
  if (before && before.cursor && event.cursor) {
    const [lastEpoch, lastOffset] = before.cursor.split('-');
    const [epoch, offset] = event.cursor.split('-');
    const data = document.body.dataset;
    if (epoch === lastEpoch && Number(offset) <= Number(lastOffset)) data.duplicates = String(Number(data.duplicates) + 1);
    if (epoch === lastEpoch && Number(offset) > Number(lastOffset) + 1) data.gaps = String(Number(data.gaps) + 1);
  }
  board.add(event.deviceId, event.timestamp || event.time, event.data, event.cursor);
}

rangeSelect.addEventListener('change', load);
load();
topics.follow(document.getElementById('topic-pattern').value);
