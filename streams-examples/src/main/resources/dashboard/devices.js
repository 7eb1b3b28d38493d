// The device list and one uPlot chart per device: a series per numeric field, a y-axis per unit, time on x.
// Points older than the chosen range slide off the left as live readings arrive.
import { numericFields, unitOf, describe, format } from './fields.js';

const PALETTE = ['#2f6fde', '#d9480f', '#2b8a3e', '#862e9c', '#c2255c', '#0b7285', '#e67700', '#495057'];
const MAX_POINTS = 5000;
const STALE_MS = 30000;

export class DeviceBoard {
  constructor(table, charts, empty) {
    this.table = table;
    this.charts = charts;
    this.empty = empty;
    this.devices = new Map();
    this.rangeMs = 900000;
    setInterval(() => this.refreshLastSeen(), 1000);
  }

  /** Forgets every device (a new range is being loaded). */
  clear(rangeMs) {
    this.rangeMs = rangeMs;
    for (const device of this.devices.values()) device.plot && device.plot.destroy();
    this.devices.clear();
    this.table.replaceChildren();
    this.charts.replaceChildren();
    this.empty.hidden = false;
  }

  /** The newest cursor of each device's topic, to resume the stream after what is drawn. */
  cursors() {
    const resume = {};
    for (const [id, device] of this.devices) if (device.cursor) resume['devices.' + id + '.stream'] = device.cursor;
    return resume;
  }

  /** Adds a reading (oldest first); `drawNow` false while pre-filling, then {@link drawAll}. */
  add(deviceId, time, data, cursor, drawNow = true) {
    const device = this.device(deviceId);
    device.cursor = cursor || device.cursor;
    const at = Date.parse(time) / 1000;
    if (!Number.isFinite(at)) return device;
    for (const [path, value] of numericFields(data)) {
      if (!device.fields.has(path)) device.fields.set(path, new Map());
      device.fields.get(path).set(at, value);
    }
    device.times.push(at);
    if (device.times.length > MAX_POINTS) device.times.shift();
    if (at * 1000 >= device.lastSeen) {
      device.lastSeen = at * 1000;
      device.lastData = data;
    }
    this.updateRow(device);
    if (drawNow) this.draw(device);
    return device;
  }

  drawAll() {
    for (const device of this.devices.values()) this.draw(device);
  }

  device(id) {
    let device = this.devices.get(id);
    if (device) return device;
    this.empty.hidden = true;
    const row = document.createElement('tr');
    row.dataset.device = id;
    row.innerHTML = '<td class="id"></td><td class="seen"></td><td class="values"></td>';
    row.querySelector('.id').textContent = id;
    row.querySelector('.id').title = id;
    this.table.append(row);
    const card = document.createElement('section');
    card.className = 'panel device';
    card.dataset.device = id;
    card.innerHTML = '<h3></h3><div class="meta"></div><div class="chart"></div>';
    card.querySelector('h3').textContent = id;
    this.charts.append(card);
    row.addEventListener('click', () => card.scrollIntoView({ behavior: 'smooth', block: 'center' }));
    device = { id, row, card, fields: new Map(), times: [], cursor: null, lastSeen: 0, lastData: null, plot: null, shape: '' };
    this.devices.set(id, device);
    return device;
  }

  updateRow(device) {
    device.row.querySelector('.values').textContent = describe(device.lastData);
    device.card.querySelector('.meta').textContent = 'last reading ' + new Date(device.lastSeen).toLocaleTimeString();
    this.showSeen(device);
  }

  refreshLastSeen() {
    for (const device of this.devices.values()) this.showSeen(device);
  }

  showSeen(device) {
    const now = Date.now();
    const ago = Math.max(0, Math.round((now - device.lastSeen) / 1000));
    device.row.querySelector('.seen').textContent = ago < 2 ? 'now' : ago < 120 ? ago + ' s ago' : Math.round(ago / 60) + ' min ago';
    device.row.classList.toggle('stale', now - device.lastSeen > STALE_MS);
  }

  draw(device) {
    const now = Date.now() / 1000;
    const from = now - this.rangeMs / 1000;
    const times = [...new Set(device.times)].filter((t) => t >= from).sort((a, b) => a - b);
    device.times = times;
    const paths = [...device.fields.keys()].sort();
    const data = [times, ...paths.map((p) => times.map((t) => device.fields.get(p).get(t) ?? null))];
    for (const values of device.fields.values()) for (const t of values.keys()) if (t < from) values.delete(t);
    const shape = paths.join('|');
    device.card.classList.toggle('textual', paths.length === 0);
    if (paths.length === 0) {
      device.card.querySelector('.chart').textContent = 'No numeric fields to chart; the last reading is listed.';
      return;
    }
    if (!device.plot || device.shape !== shape) {
      if (!device.plot) device.card.querySelector('.chart').replaceChildren();
      device.plot && device.plot.destroy();
      device.shape = shape;
      device.plot = new uPlot(this.options(device, paths), data, device.card.querySelector('.chart'));
    } else {
      device.plot.setData(data, false);
    }
    device.plot.setScale('x', { min: from, max: now });
    // The legend shows the newest values unless the pointer is over the chart.
    if (device.plot.cursor.left < 0 && times.length > 0) device.plot.setLegend({ idx: times.length - 1 });
  }

  options(device, paths) {
    // An axis each for the first two units, known units first; other series still scale themselves.
    const units = [...new Set(paths.map((p) => unitOf(p) || 'value'))].sort((a, b) => (a === 'value') - (b === 'value'));
    const width = Math.max(300, device.card.clientWidth - 28);
    return {
      width, height: 200,
      cursor: { drag: { x: false, y: false } },
      scales: { x: { time: true } },
      series: [{ label: 'time' }, ...paths.map((p, i) => ({
        label: p + (unitOf(p) ? ` (${unitOf(p)})` : ''), scale: unitOf(p) || 'value', stroke: PALETTE[i % PALETTE.length],
        width: 1.5, spanGaps: true, value: (u, v) => (v == null ? '–' : format(v) + (unitOf(p) ? ' ' + unitOf(p) : '')),
      }))],
      axes: [{ stroke: '#52606d', grid: { stroke: '#eef0f3' } }, ...units.slice(0, 2).map((unit, i) => ({
        scale: unit, side: i === 0 ? 3 : 1, label: unit === 'value' ? '' : unit, stroke: '#52606d',
        grid: { show: i === 0, stroke: '#eef0f3' }, size: 50,
      }))],
    };
  }
}
