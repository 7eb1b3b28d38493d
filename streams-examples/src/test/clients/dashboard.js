// Loads the demo dashboard in headless Chromium and waits for live readings to appear; saves a screenshot.
// Usage: node dashboard.js <dashboard url> <screenshot path>
'use strict';
const { launch } = require('./browser');

const [url, screenshot] = process.argv.slice(2);

(async () => {
  const browser = await launch();
  try {
    const page = await browser.newPage({ viewport: { width: 1100, height: 700 } });
    const problems = [];
    page.on('pageerror', (e) => problems.push(e.message));
    await page.goto(url);
    await page.waitForFunction(() => document.body.dataset.connection === 'connected', null, { timeout: 15000 });
    await page.waitForFunction(() => document.querySelectorAll('.device').length >= 2
      && [...document.querySelectorAll('.device .reading')].every((r) => r.textContent.length > 0), null, { timeout: 15000 });
    const first = await page.textContent('.device .meta');
    await page.waitForFunction((before) => document.querySelector('.device .meta').textContent !== before, first,
      { timeout: 15000 });
    const seam = await page.evaluate(() => ({
      prefilled: Number(document.body.dataset.prefilled || 0),
      duplicates: Number(document.body.dataset.duplicates || 0),
      gaps: Number(document.body.dataset.gaps || 0),
    }));
    if (seam.prefilled === 0) throw new Error('the charts were not pre-filled from history');
    if (seam.duplicates || seam.gaps) throw new Error('the seam between history and live: ' + JSON.stringify(seam));
    await page.screenshot({ path: screenshot });
    if (problems.length) throw new Error('page errors: ' + problems.join('; '));
    const html = await page.content();
    if (html.includes('stk_')) throw new Error('the page holds an API key');
    console.log('chromium dashboard: ok, ' + (await page.$$('.device')).length + ' devices live, '
      + seam.prefilled + ' readings from history');
  } finally {
    await browser.close();
  }
})().catch((e) => { console.error('chromium dashboard: FAILED: ' + e.message); process.exit(1); });
