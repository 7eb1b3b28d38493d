// Opens a Golioth device stream from a page in headless Chromium, which offers permessage-deflate, and
// checks that the server accepted it and that a large reading (sent compressed) arrives intact.
// Usage: node deflate.js <demo base url> <api key>
'use strict';
const { launch } = require('./browser');

const [base, key] = process.argv.slice(2);

(async () => {
  const browser = await launch();
  try {
    const page = await browser.newPage();
    await page.goto(base + '/');
    const result = await page.evaluate(async ({ key }) => {
      const device = 'deflate-check';
      const big = 'reading '.repeat(500);
      const ws = new WebSocket(`ws://${location.host}/v1/ws/projects/demo/devices/${device}/stream?x-api-key=${key}`);
      await new Promise((resolve, reject) => { ws.onopen = resolve; ws.onerror = reject; });
      const received = new Promise((resolve) => {
        ws.onmessage = (m) => resolve(JSON.parse(m.data));
      });
      await new Promise((r) => setTimeout(r, 300));
      const posted = await fetch(`/v1/projects/demo/devices/${device}/ingest`, {
        method: 'POST', headers: { 'x-api-key': key }, body: JSON.stringify({ note: big }),
      });
      const frame = await received;
      ws.close();
      return { extensions: ws.extensions, status: posted.status, intact: frame.result.data.data.note === big };
    }, { key });
    if (!result.extensions.includes('permessage-deflate')) throw new Error('not negotiated: ' + result.extensions);
    if (result.status !== 200) throw new Error('post answered ' + result.status);
    if (!result.intact) throw new Error('the large reading did not arrive intact');
    console.log('chromium deflate: ok, ' + result.extensions);
  } finally {
    await browser.close();
  }
})().catch((e) => { console.error('chromium deflate: FAILED: ' + e.message); process.exit(1); });
