// Verified identity across two bridges (BridgedIdentityTest): a socket.io-client 4.8 relay page on bridge east with a
// token (in auth) waits for a message from a page on bridge west (the go: both bridges are in the channel's MUC room),
// then sends a bare message, one naming its own sender, one naming another sender (refused here, on east) and a last
// one; prints one JSON line per observation and {"done":true} at the end.
// usage: node identity-bridged.js <eastBaseUrl> <channel> <token>
const { io } = require('socket.io-client');
const [base, channel, token] = process.argv.slice(2);
const out = (o) => process.stdout.write(JSON.stringify(o) + '\n');
const fail = (why) => { out({ fail: String(why && why.stack || why) }); process.exit(2); };
setTimeout(() => fail('timeout'), 45000);
process.on('unhandledRejection', fail);
const next = (s, ev) => new Promise((resolve) => s.once(ev, (...args) => resolve(args)));
const ack = (s, ...args) => new Promise((resolve) => s.emit(...args, (...r) => resolve(r)));

(async () => {
  const page = io(base, { transports: ['websocket'], forceNew: true, reconnection: false, query: { channel }, auth: { token } });
  const go = next(page, 'message');
  await new Promise((resolve, reject) => { page.once('connect', resolve); page.once('connect_error', reject); });
  out({ ready: true });
  out({ go: (await go)[0] });
  out({ bare: await ack(page, 'message', { n: 1 }) });
  out({ own: await ack(page, 'message', { sender: 'carol', n: 2 }) });
  const refused = next(page, 'error');
  out({ impersonation: await ack(page, 'message', { sender: 'alice', n: 3 }), errorEvent: (await refused)[0] });
  out({ last: await ack(page, 'message', { n: 4 }) });
  page.close();
  out({ done: true });
  process.exit(0);
})().catch(fail);
