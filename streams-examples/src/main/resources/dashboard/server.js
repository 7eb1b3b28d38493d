// Server health (/healthz) and the main metrics (/metrics, Prometheus text), polled every few seconds;
// counters are shown as rates over the last poll.

const TILES = [
  ['connections', 'Connections', (m) => sum(m, 'streams_connections')],
  ['subscriptions', 'Subscriptions', (m) => sum(m, 'streams_broker_subscriptions')],
  ['published', 'Published /s', null, 'streams_broker_published_total'],
  ['delivered', 'Delivered /s', null, 'streams_broker_delivered_total'],
  ['stored', 'Stored in history', (m) => sum(m, 'streams_history_stored_total')],
  ['queue', 'History queue', (m) => sum(m, 'streams_history_queue_depth')],
  ['dropped', 'Dropped (slow clients)', (m) => sum(m, 'streams_broker_dropped_total')],
  ['heap', 'JVM heap', (m) => bytes(sum(m, 'streams_jvm_heap_used_bytes'))],
];

/** Metric name → summed value over its labels. */
export function parseMetrics(text) {
  const values = new Map();
  for (const line of text.split('\n')) {
    if (!line || line.startsWith('#')) continue;
    const match = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(\{[^}]*\})?\s+(\S+)/.exec(line);
    if (!match) continue;
    const value = Number(match[3]);
    if (Number.isFinite(value)) values.set(match[1], (values.get(match[1]) || 0) + value);
  }
  return values;
}

function sum(metrics, name) {
  return metrics.has(name) ? metrics.get(name) : null;
}

function bytes(n) {
  if (n === null) return null;
  return n > 1 << 30 ? (n / (1 << 30)).toFixed(1) + ' GiB' : (n / (1 << 20)).toFixed(0) + ' MiB';
}

export class ServerPanel {
  constructor(tiles, healthPill, everyMs = 3000) {
    this.healthPill = healthPill;
    this.cells = new Map();
    for (const [key, label] of TILES) {
      const tile = document.createElement('div');
      tile.dataset.metric = key;
      tile.innerHTML = '<dt></dt><dd>–</dd>';
      tile.querySelector('dt').textContent = label;
      tiles.append(tile);
      this.cells.set(key, tile.querySelector('dd'));
    }
    this.previous = null;
    this.poll();
    setInterval(() => this.poll(), everyMs);
  }

  async poll() {
    try {
      const health = await fetch('/healthz', { cache: 'no-store' });
      const body = await health.json().catch(() => ({}));
      const ok = health.ok && body.status === 'ok';
      this.healthPill.className = 'pill ' + (ok ? 'ok' : 'down');
      this.healthPill.textContent = 'server ' + (body.status || health.status);
      const metrics = parseMetrics(await (await fetch('/metrics', { cache: 'no-store' })).text());
      const now = performance.now();
      for (const [key, , value, counter] of TILES) {
        let shown = value ? value(metrics) : null;
        if (counter && this.previous && metrics.has(counter)) {
          const seconds = (now - this.previous.at) / 1000;
          shown = Math.max(0, (metrics.get(counter) - (this.previous.metrics.get(counter) || 0)) / seconds).toFixed(1);
        }
        this.cells.get(key).textContent = shown === null ? '–' : String(shown);
      }
      this.previous = { at: now, metrics };
      document.body.dataset.health = ok ? 'ok' : 'down';
    } catch (e) {
      this.healthPill.className = 'pill down';
      this.healthPill.textContent = 'server unreachable';
      document.body.dataset.health = 'unreachable';
    }
  }
}
