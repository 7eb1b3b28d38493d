// Live device dashboard. Never holds the API key: it asks the demo server for a short-lived,
// read-only token on every (re)connect and passes it as jwt=. On reconnect it resumes each device
// from the last cursor it saw, and replays devices that appeared while it was offline, so nothing is missed.
'use strict';

const MAX_POINTS = 120;
const devices = new Map();          // deviceId -> {values, cursor, card parts}
// Devices already seen resume by cursor. "since" only covers devices that appear while we are offline, so
// it is fixed at page load: device timestamps cannot be used for it, since they come from device clocks.
const since = new Date(Date.now() - 120000).toISOString();
let project = null;
let attempt = 0;

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

function streamUrl(token) {
  const scheme = location.protocol === 'https:' ? 'wss:' : 'ws:';
  const params = new URLSearchParams({ jwt: token });
  const resume = [...devices.entries()].filter(([, d]) => d.cursor).map(([id, d]) => id + ':' + d.cursor);
  if (resume.length) params.set('resume', resume.join(','));
  params.set('since', since);
  return `${scheme}//${location.host}/v1/ws/projects/${encodeURIComponent(project)}/stream?${params}`;
}

async function connect() {
  setStatus(attempt ? 'reconnecting' : 'connecting', attempt ? 'reconnecting…' : 'connecting…');
  let grant;
  try {
    grant = await fetchToken();
  } catch (e) {
    return retry();
  }
  project = grant.project;
  document.getElementById('project').textContent = '· ' + project;
  const socket = new WebSocket(streamUrl(grant.token));
  socket.onopen = () => { attempt = 0; setStatus('connected', 'live'); };
  socket.onmessage = (message) => {
    const frame = JSON.parse(message.data);
    if (frame.error) {
      setStatus('error', 'error ' + frame.error.code + ': ' + frame.error.message);
      return;
    }
    const data = frame.result && frame.result.data;
    if (data) onReading(data, frame.id);
  };
  socket.onclose = () => retry();
}

function retry() {
  attempt++;
  const ceiling = Math.min(30000, 250 * 2 ** Math.min(attempt, 7));
  setStatus('reconnecting', 'offline, retrying…');
  setTimeout(connect, ceiling / 2 + Math.random() * ceiling / 2);
}

function onReading(data, cursor) {
  const device = deviceCard(data.deviceId);
  device.cursor = cursor;
  const value = firstNumber(data.data);
  device.reading.textContent = value === null ? JSON.stringify(data.data) : value.toFixed(2);
  device.meta.textContent = new Date(data.timestamp).toLocaleTimeString() + ' · ' + JSON.stringify(data.data);
  if (value !== null) {
    device.values.push(value);
    if (device.values.length > MAX_POINTS) device.values.shift();
    draw(device);
  }
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

connect();
