// Loads the demo's console in headless Chromium, checks what a user should see (device list, a chart per device
// with a legend, units and time axis, the time-range picker refilling from history and going live without a
// seam, the topic view, server health and metrics) and saves screenshots.
// Usage: node dashboard.js <console url> <screenshot path>
'use strict';
const { launch } = require('./browser');

const [url, screenshot] = process.argv.slice(2);

async function seam(page) {
  return page.evaluate(() => ({
    prefilled: Number(document.body.dataset.prefilled || 0),
    duplicates: Number(document.body.dataset.duplicates || 0),
    gaps: Number(document.body.dataset.gaps || 0),
  }));
}

async function liveCharts(page) {
  await page.waitForFunction(() => document.body.dataset.connection === 'connected', null, { timeout: 15000 });
  await page.waitForFunction(() => document.querySelectorAll('#device-table tbody tr').length >= 2
    && document.querySelectorAll('.device .uplot').length >= 2, null, { timeout: 15000 });
  // Live readings move the newest reading's time on.
  const first = await page.textContent('.device .meta');
  await page.waitForFunction((before) => document.querySelector('.device .meta').textContent !== before, first,
    { timeout: 15000 });
  const found = await seam(page);
  if (found.prefilled === 0) throw new Error('the charts were not pre-filled from history');
  if (found.duplicates || found.gaps) throw new Error('the seam between history and live: ' + JSON.stringify(found));
  return found;
}

(async () => {
  const browser = await launch();
  try {
    const page = await browser.newPage({ viewport: { width: 1440, height: 900 } });
    const problems = [];
    page.on('pageerror', (e) => problems.push(e.message));
    await page.goto(url);
    const filled = await liveCharts(page);

    // Each chart: a legend naming every numeric field with its unit, a time axis and a unit axis.
    const charts = await page.$$eval('.device', (cards) => cards.map((card) => ({
      legend: [...card.querySelectorAll('.u-legend .u-series .u-label')].map((l) => l.textContent),
      axes: card.querySelectorAll('.u-axis').length,
      canvas: card.querySelector('.uplot canvas') !== null,
    })));
    // The simulated devices (other tests' devices may send other fields, or none that are numbers).
    const simulated = charts.filter((chart) => ['time', 'temp (°C)', 'humidity (%)', 'seq']
      .every((label) => chart.legend.includes(label)));
    if (simulated.length < 2) throw new Error('charts with temp, humidity and seq: ' + JSON.stringify(charts));
    for (const chart of simulated) {
      if (chart.axes < 3 || !chart.canvas) throw new Error('a chart lacks its axes or canvas: ' + JSON.stringify(chart));
    }
    const rows = await page.$$eval('#device-table tbody tr', (trs) => trs.map((tr) => ({
      seen: tr.querySelector('.seen').textContent, values: tr.querySelector('.values').textContent })));
    if (rows.filter((row) => /now|s ago/.test(row.seen) && row.values.includes('°C')).length < 2) {
      throw new Error('device rows: ' + JSON.stringify(rows));
    }

    // Server health and metrics.
    await page.waitForFunction(() => document.body.dataset.health === 'ok'
      && document.querySelector('[data-metric=delivered] dd').textContent !== '–', null, { timeout: 15000 });

    // The topic view shows raw events with topic and cursor.
    await page.waitForFunction(() => Number(document.body.dataset.topicEvents || 0) >= 3, null, { timeout: 15000 });
    // ... and says when its subscription is live (the client's onLive).
    await page.waitForFunction(() => /^live on /.test(document.getElementById('topic-status').textContent), null,
      { timeout: 15000 });
    const raw = await page.textContent('#topic-events li');
    if (!/devices\.[0-9a-f]+\.stream/.test(raw) || !raw.includes('"temp"')) throw new Error('topic view: ' + raw);
    await page.screenshot({ path: screenshot, fullPage: true });

    // Another range: pre-filled again from history, then live without a seam.
    await page.selectOption('#range', '900');
    await page.waitForFunction(() => document.body.dataset.connection !== 'connected', null, { timeout: 5000 }).catch(() => {});
    const refilled = await liveCharts(page);

    // A pattern the project has no events on yet, then an invalid one: refused with a reason, nothing breaks.
    await page.fill('#topic-pattern', 'bad..pattern');
    await page.click('#topic-form button');
    await page.waitForFunction(() => /invalid|INVALID/.test(document.getElementById('topic-status').textContent), null,
      { timeout: 15000 });

    if (problems.length) throw new Error('page errors: ' + problems.join('; '));
    const html = await page.content();
    if (html.includes('stk_')) throw new Error('the page holds an API key');
    console.log('chromium console: ok, ' + rows.length + ' devices live, ' + filled.prefilled + ' readings from history, '
      + refilled.prefilled + ' after changing the range');
  } finally {
    await browser.close();
  }
})().catch((e) => { console.error('chromium console: FAILED: ' + e.message); process.exit(1); });
