// Live device dashboard. Never holds the API key: it asks the demo server for a short-lived, read-only token
// on every (re)connect. It pre-fills each device's chart from the History REST API (with each row's cursor),
// then follows every device's stream with the Streams browser client (streams-client.js, built from
// streams-js), which resumes each device after the last reading drawn, so nothing is missed or drawn twice at
// the seam, and does the same on every reconnect, replaying devices that appeared while it was offline.
import { StreamsClient } from './streams-client.js';

const MAX_POINTS = 120;
const devices = new Map();          // deviceId -> {values, cursor, card parts}
// Devices already seen resume by cursor. "since" only covers devices that appear while we are offline, so
// it is fixed at page load: device timestamps cannot be used for it, since they come from device clocks.
let since = new Date(Date.now() - 120000).toISOString();
let project = null;

const statusEl = document.getElementById('status');
function setStatus(state, text) {
  statusEl.className = 'status ' + state;
  statusEl.textContent = text || state;
  document.body.dataset.connection = state;
}

async function fetchToken() {
  const response = await fetch('/demo/token', { cache: 'no-store' });
  if (!response.ok) throw new Error('token request failed: ' + response.status);
  return response.json();
}

// The last ten minutes from the History REST API, oldest first, each reading with its cursor. Afterwards the
// stream resumes each device after its newest row; devices without history start from the query's end.
async function prefill(token) {
  const end = new Date();
  const query = { fields: [{ path: 'time' }, { path: 'deviceId' }, { path: 'id' }, { path: '*', alias: 'data' }] };
  const params = new URLSearchParams({
    start: new Date(end.getTime() - 600000).toISOString(), end: end.toISOString(),
    perPage: String(MAX_POINTS * 8), encodedQuery: JSON.stringify(query),
  });
  const response = await fetch(`/v1/projects/${encodeURIComponent(project)}/stream?${params}`,
    { headers: { Authorization: 'Bearer ' + token }, cache: 'no-store' });
  if (!response.ok) return;
  const page = await response.json();
  for (const row of page.list.reverse()) {
    if (row.deviceId) onReading({ deviceId: row.deviceId, timestamp: row.time, data: row.data }, row.id);
  }
  // A new device's first readings may still have been on their way to the disk when the query ran: replay a
  // few seconds before its end for devices the history did not have (their readings cannot be doubled).
  since = new Date(end.getTime() - 5000).toISOString();
  document.body.dataset.prefilled = String(page.list.length);
}

const STATES = { connecting: 'connecting…', connected: 'live', reconnecting: 'offline, retrying…', closed: 'closed' };

async function start() {
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
  project = grant.project;
  document.getElementById('project').textContent = '· ' + project;
  try {
    await prefill(grant.token);
  } catch (e) {
    // history is optional (an in-memory server has none): the live stream and "since" still cover the seam
  }
  const resume = {};
  for (const [id, device] of devices) {
    if (device.cursor) resume['devices.' + id + '.stream'] = device.cursor;
  }
  const client = new StreamsClient({
    url: location.origin,
    token: async () => (await fetchToken()).token,
    onStateChange: (state) => setStatus(state, STATES[state]),
    onError: (code, message) => setStatus('error', 'error ' + code + ': ' + message),
  });
  client.subscribe('devices.*.stream', {
    onEvent: (event) => {
      if (typeof event.deviceId === 'string') {
        onReading({ deviceId: event.deviceId, timestamp: event.timestamp || event.time, data: event.data }, event.cursor);
      }
    },
    onRefused: (code, message) => setStatus('error', 'error ' + code + ': ' + message),
  }, { resume, since });
  client.connect();
}

// Every drawn reading's offset, per device: a repeated or skipped offset at the seam would show here.
const seam = { duplicates: 0, gaps: 0 };

function onReading(data, cursor) {
  const device = deviceCard(data.deviceId);
  if (device.cursor && cursor) {
    const [lastEpoch, lastOffset] = device.cursor.split('-');
    const [epoch, offset] = cursor.split('-');
    if (epoch === lastEpoch && Number(offset) <= Number(lastOffset)) seam.duplicates++;
    if (epoch === lastEpoch && Number(offset) > Number(lastOffset) + 1) seam.gaps++;
    document.body.dataset.duplicates = String(seam.duplicates);
    document.body.dataset.gaps = String(seam.gaps);
  }
  device.cursor = cursor;
  const value = firstNumber(data.data);
  device.reading.textContent = value === null ? shorten(JSON.stringify(data.data), 24) : value.toFixed(2);
  device.meta.textContent = new Date(data.timestamp).toLocaleTimeString() + ' · ' + shorten(JSON.stringify(data.data), 120);
  if (value !== null) {
    device.values.push(value);
    if (device.values.length > MAX_POINTS) device.values.shift();
    draw(device);
  }
}

function shorten(text, length) {
  return text.length > length ? text.slice(0, length - 1) + '…' : text;
}

function firstNumber(value) {
  if (typeof value === 'number') return value;
  if (value && typeof value === 'object') {
    for (const key of Object.keys(value)) {
      const found = firstNumber(value[key]);
      if (found !== null) return found;
    }
  }
  return null;
}

function deviceCard(id) {
  let device = devices.get(id);
  if (device) return device;
  document.getElementById('empty').hidden = true;
  const card = document.createElement('section');
  card.className = 'device';
  const title = document.createElement('h2');
  title.textContent = id;
  const reading = document.createElement('div');
  reading.className = 'reading';
  const meta = document.createElement('div');
  meta.className = 'meta';
  const canvas = document.createElement('canvas');
  card.append(title, reading, meta, canvas);
  document.getElementById('devices').append(card);
  device = { values: [], cursor: null, reading, meta, canvas };
  devices.set(id, device);
  return device;
}

function draw(device) {
  const canvas = device.canvas;
  const width = canvas.clientWidth * devicePixelRatio;
  const height = canvas.clientHeight * devicePixelRatio;
  canvas.width = width;
  canvas.height = height;
  const g = canvas.getContext('2d');
  const min = Math.min(...device.values);
  const max = Math.max(...device.values);
  const span = max - min || 1;
  g.strokeStyle = '#2f6fde';
  g.lineWidth = 2 * devicePixelRatio;
  g.beginPath();
  device.values.forEach((v, i) => {
    const x = (i / (MAX_POINTS - 1)) * width;
    const y = height - ((v - min) / span) * (height - 8) - 4;
    if (i === 0) g.moveTo(x, y); else g.lineTo(x, y);
  });
  g.stroke();
}

start();
