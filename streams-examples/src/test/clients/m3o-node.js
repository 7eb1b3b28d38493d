// Drives a Streams server with the unmodified m3o Node client: Token, Subscribe via stream(), Publish via call().
// Usage: node m3o-node.js <address, e.g. http://127.0.0.1:8080/> <api key>
'use strict';
const { Client } = require('@m3o/m3o-node');

const [address, apiKey] = process.argv.slice(2);
const fail = (why) => { console.error('m3o-node: FAILED: ' + why); process.exit(1); };
const within = (ms, what) => new Promise((_, reject) => setTimeout(() => reject(new Error('timeout: ' + what)), ms));

async function main() {
  const client = new Client({ token: apiKey, address });
  const { token } = await client.call('streams', 'Token', { topic: 'compat' });
  if (!token) fail('Token returned no token');

  const stream = await client.stream('streams', 'Subscribe', { topic: 'compat', token });
  const received = new Promise((resolve) => stream.onMessage(resolve));
  await new Promise((r) => setTimeout(r, 300));
  const published = await client.call('streams', 'Publish', { topic: 'compat', message: 'hello from m3o-node' });
  if (JSON.stringify(published) !== '{}') fail('Publish answered ' + JSON.stringify(published));
  const message = await Promise.race([received, within(10000, 'message')]);
  if (message.topic !== 'compat') fail('topic was ' + message.topic);
  if (message.message !== 'hello from m3o-node') fail('message was ' + JSON.stringify(message.message));
  if (isNaN(Date.parse(message.sent_at))) fail('sent_at was ' + message.sent_at);
  stream.conn.close();

  try {
    await client.call('streams', 'Publish', { message: 'no topic' });
    fail('Publish without a topic succeeded');
  } catch (error) {
    if (error.id !== 'MISSING_TOPIC' || error.code !== 400) fail('unexpected error ' + JSON.stringify(error));
  }

  const refused = await client.stream('streams', 'Subscribe', { topic: 'elsewhere', token });
  const errorFrame = await Promise.race([new Promise((resolve) => refused.onMessage(resolve)), within(10000, 'error frame')]);
  if (errorFrame.id !== 'FORBIDDEN_TOPIC') fail('expected FORBIDDEN_TOPIC, got ' + JSON.stringify(errorFrame));
  console.log('m3o-node: ok');
}

main().catch((e) => fail(e && e.stack ? e.stack : JSON.stringify(e)));
