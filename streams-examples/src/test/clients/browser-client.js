// Drives the TypeScript browser client (streams-js, compiled) in headless Chromium against a running server,
// through a server restart: every event published before, during and after it must arrive once, in order.
// Usage: node browser-client.js <server url> <api key> <compiled index.js> [refresh <seconds>]
// Talks to the test that runs it: prints "restart" and waits for "restarted" on its standard input.
// With "refresh", it checks instead that the client refreshes its token before it expires: one connection,
// events every second for the given seconds (past the first token's lifetime), a fresh token asked for.
'use strict';
const fs = require('fs');
const readline = require('readline');
const { launch } = require('./browser');

const [server, apiKey, modulePath, mode, seconds] = process.argv.slice(2);
const lines = readline.createInterface({ input: process.stdin });
const nextLine = () => new Promise((resolve) => lines.once('line', resolve));

async function post(path, body) {
  const answer = await fetch(server + path, {
    method: 'POST', headers: { 'Authorization': 'Bearer ' + apiKey, 'Content-Type': 'application/json' },
    body: JSON.stringify(body),
  });
  if (answer.status !== 200) throw new Error(path + ' answered ' + answer.status + ' ' + await answer.text());
  return answer.json();
}

// What a web app's backend does: trade its API key for a short-lived token limited to a topic.
let tokensIssued = 0;
const token = async () => {
  tokensIssued++;
  return (await post('/v1/streams/Token', { topic: 'browser.t' })).token;
};
const publish = (message) => post('/v1/streams/Publish', { topic: 'browser.t', message });

(async () => {
  const browser = await launch();
  try {
    const page = await browser.newPage();
    const problems = [];
    page.on('pageerror', (e) => problems.push(e.message));
    await page.exposeFunction('streamsToken', token);
    // The server's own origin (a browser app is served from it; the demo allows only its own origin).
    await page.goto(server + '/healthz');
    await page.addScriptTag({ type: 'module',
      content: fs.readFileSync(modulePath, 'utf8') + '\nwindow.StreamsClient = StreamsClient;' });
    await page.waitForFunction(() => typeof window.StreamsClient === 'function');
    await page.evaluate((url) => {
      window.received = [];
      window.gaps = [];
      window.states = [];
      window.errors = [];
      window.lives = 0;
      const client = new window.StreamsClient({ url, token: () => window.streamsToken(), backoffMs: 100,
        maxBackoffMs: 1000, onStateChange: (s) => window.states.push(s),
        onError: (code, message) => window.errors.push(code + ' ' + message) });
      client.subscribe('browser.t', { onEvent: (e) => window.received.push(e.text), onGap: (g) => window.gaps.push(g),
        onLive: () => window.lives++ });
      client.connect();
      window.client = client;
    }, server);
    // Live once the server says so: from then on every message published reaches the page, the first one too.
    await page.waitForFunction(() => window.lives > 0, null, { timeout: 15000 }).catch(async () => {
      throw new Error('never live; states ' + await page.evaluate(() => window.states.join(','))
        + '; errors ' + await page.evaluate(() => window.errors.join(' | ')) + '; page ' + problems.join('; '));
    });
    if (mode === 'refresh') {
      for (let n = 1; n <= Number(seconds); n++) {
        await publish('r' + n);
        await new Promise((r) => setTimeout(r, 1000));
      }
      await page.waitForFunction((last) => window.received.includes(last), 'r' + seconds, { timeout: 15000 });
      const states = await page.evaluate(() => window.states);
      const got = (await page.evaluate(() => window.received)).filter((m) => m.startsWith('r'));
      if (got.length !== Number(seconds)) throw new Error('received ' + got.length + ' of ' + seconds);
      if (states.includes('reconnecting')) throw new Error('the connection was lost: ' + states.join(','));
      if (tokensIssued < 2) throw new Error('the token was never refreshed');
      console.log('browser client: ok, one connection for ' + seconds + ' s, ' + tokensIssued + ' tokens');
      return;
    }
    for (let n = 1; n <= 100; n++) await publish('e' + n);
    console.log('restart');
    await nextLine();
    for (let n = 101; n <= 200; n++) await publish('e' + n);
    await page.waitForFunction(() => window.received.includes('e200'), null, { timeout: 30000 })
      .catch(async () => { throw new Error('e200 never arrived: ' + (await page.evaluate(() => window.received.slice(-5)))); });
    const got = await page.evaluate(() => window.received);
    const expected = Array.from({ length: 200 }, (_, i) => 'e' + (i + 1));
    if (JSON.stringify(got) !== JSON.stringify(expected)) {
      throw new Error('not every event once in order: ' + got.length + ' events, first differences '
        + JSON.stringify(got.filter((m, i) => m !== expected[i]).slice(0, 5)));
    }
    const gaps = await page.evaluate(() => window.gaps);
    if (gaps.length) throw new Error('gaps: ' + JSON.stringify(gaps));
    const states = await page.evaluate(() => window.states);
    if (!states.includes('reconnecting')) throw new Error('the restart was not seen: ' + states.join(','));
    const lives = await page.evaluate(() => window.lives);
    if (lives < 2) throw new Error('onLive not called again after the reconnection: ' + lives);
    if (problems.length) throw new Error('page errors: ' + problems.join('; '));
    await page.evaluate(() => window.client.close());

    // The same client over Server-Sent Events, as where WebSocket is missing.
    await page.evaluate((url) => {
      window.sse = [];
      window.sseLive = false;
      const client = new window.StreamsClient({ url, token: () => window.streamsToken(), transport: 'sse' });
      client.subscribe('browser.t', { onEvent: (e) => window.sse.push(e.text),
        onLive: () => { window.sseLive = true; } });
      client.connect();
      window.sseClient = client;
    }, server);
    // The event stream's opening means live: its first message already counts.
    await page.waitForFunction(() => window.sseLive, null, { timeout: 15000 });
    for (let n = 1; n <= 20; n++) await publish('s' + n);
    await page.waitForFunction(() => window.sse.includes('s20'), null, { timeout: 15000 });
    const overSse = await page.evaluate(() => window.sse);
    if (JSON.stringify(overSse) !== JSON.stringify(Array.from({ length: 20 }, (_, i) => 's' + (i + 1)))) {
      throw new Error('Server-Sent Events: ' + JSON.stringify(overSse));
    }
    await page.evaluate(() => window.sseClient.close());
    console.log('browser client: ok, 200 events once in order across a restart; states ' + states.join(',')
      + '; 20 over Server-Sent Events');
  } finally {
    await browser.close();
    lines.close();
  }
})().catch((e) => { console.error('browser client: FAILED: ' + e.message); process.exit(1); });
