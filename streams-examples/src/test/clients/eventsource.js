// Reads a Golioth device stream with Chromium's own EventSource until it has <total> readings, reporting each
// one on stdout ("open N", "got N") so the test can restart the server in between; EventSource reconnects by
// itself and sends Last-Event-ID. Prints the readings in order and how many times the stream opened.
// Usage: node eventsource.js <base url> <api key> <total>
'use strict';
const { launch } = require('./browser');

const [base, key, total] = process.argv.slice(2);

(async () => {
  const browser = await launch();
  try {
    const page = await browser.newPage();
    await page.exposeFunction('report', (line) => console.log(line));
    await page.goto(base + '/');
    const result = await page.evaluate(({ key, total }) => new Promise((resolve, reject) => {
      const seen = [];
      let opens = 0;
      const source = new EventSource(`/v1/ws/projects/demo/devices/d1/stream?x-api-key=${key}`);
      source.onopen = () => { opens++; window.report('open ' + opens); };
      source.addEventListener('gap', (e) => window.report('gap ' + e.data));
      source.onmessage = (m) => {
        seen.push(JSON.parse(m.data).result.data.data.n);
        window.report('got ' + seen.length);
        if (seen.length >= total) {
          source.close();
          resolve({ seen, opens });
        }
      };
      setTimeout(() => reject(new Error('timed out with ' + JSON.stringify(seen))), 40000);
    }), { key, total: Number(total) });
    console.log('eventsource: ok ' + JSON.stringify(result));
  } finally {
    await browser.close();
  }
})().catch((e) => { console.error('eventsource: FAILED: ' + e.message); process.exit(1); });
