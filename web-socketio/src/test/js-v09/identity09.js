// Verified identity (identity.mode: verified) with the real socket.io-client 0.9.16 (xhr-polling) against a sigbridge
// web port; prints one JSON line per observation and {"done":true} at the end. The token is in the handshake query.
// usage: node identity09.js <baseUrl> <tokens JSON: {alice, bob, expired, scoped}>
const fs = require('fs');
const path = require('path');
const vm = require('vm');
const io = require('socket.io-client');
io.transports = ['xhr-polling']; // see scenario09.js
const [base, tokensJson] = process.argv.slice(2);
const tokens = JSON.parse(tokensJson);
const out = (o) => process.stdout.write(JSON.stringify(o) + '\n');
const fail = (why) => { out({ fail: String(why && why.stack || why) }); process.exit(2); };
setTimeout(() => fail('timeout'), 25000);
process.on('unhandledRejection', fail);

const open = (query) => io.connect(base + '?' + query, { 'force new connection': true, reconnect: false });
// resolves with {connected: true} or {refused: reason} (a handshake the server refuses is an 'error' event)
const outcome = (s) => new Promise((resolve) => {
  s.on('connect', () => resolve({ connected: true }));
  s.on('error', (reason) => resolve({ refused: String(reason) }));
  s.on('connect_failed', (reason) => resolve({ refused: String(reason) }));
});
async function connected(s) {
  const o = await outcome(s);
  if (!o.connected) throw new Error('not connected: ' + o.refused);
  return s;
}
const next = (s, ev) => new Promise((resolve) => s.once(ev, (...args) => resolve(args)));
const ack = (s, ...args) => new Promise((resolve) => s.emit(...args, (...r) => resolve(r)));

(async () => {
  out({ case: 'missing', ...(await outcome(open('channel=id09'))) });
  out({ case: 'expired', ...(await outcome(open('channel=id09&token=' + tokens.expired))) });

  // plain broadcast relay: the sender a peer sees is the token's; another is refused and reaches nobody
  const alice = await connected(open('channel=id09&token=' + tokens.alice));
  const bob = await connected(open('channel=id09&token=' + tokens.bob));
  const heard = [];
  bob.on('message', (v) => heard.push(v));
  const refusedEvent = next(alice, 'error');
  out({ impersonation: await ack(alice, 'message', { sender: 'bob', n: 1 }), errorEvent: (await refusedEvent)[0] });
  const got = next(bob, 'message');
  out({ own: await ack(alice, 'message', { sender: 'alice', n: 2 }) });
  await got;
  out({ bobHeard: heard.map((v) => v.n), sender: heard[0].sender });

  // socketio-over-nodejs: namespace /c is channel c, within the token's channels; user-left names the token's sender
  const sa = await connected(open('family=socketio-over-nodejs&token=' + tokens.scoped));
  sa.emit('new-channel', { channel: 'id-ono', sender: 'alice' });
  const an = await connected(sa.socket.of('/id-ono'));
  out({ case: 'scope', ...(await outcome(sa.socket.of('/elsewhere'))) });
  const sb = await connected(open('family=socketio-over-nodejs&token=' + tokens.bob));
  const bn = await connected(sb.socket.of('/id-ono'));
  const forged = next(bn, 'error');
  bn.emit('message', { sender: 'alice', data: { sender: 'alice', message: 'forged' } });
  out({ onoImpersonation: (await forged)[0] });
  const toA = next(an, 'message');
  bn.emit('message', { sender: 'bob', data: { sender: 'someone', message: 'real' } });
  out({ onoHeard: (await toA)[0] });
  const left = next(an, 'user-left');
  bn.disconnect();
  out({ userLeft: (await left)[0] });

  // Reliable-Signaler with its real client, signaler.js (a browser script: run here with io and a window stub): under
  // a token scoped to id-*, a room outside the scope is refused in the callbacks; one inside it is kept and found
  const signalerJs = fs.readFileSync(path.join(__dirname, 'node_modules/reliable-signaler/signaler.js'), 'utf8');
  const page = { io, window: { addEventListener() {}, removeEventListener() {} }, navigator: { onLine: true, userAgent: 'node' }, setTimeout, console };
  vm.createContext(page);
  vm.runInContext(signalerJs, page);
  const owner = page.initReliableSignaler({ userid: 'alice' }, base + '?family=reliable-signaler&token=' + tokens.scoped);
  await connected(owner.socket);
  let rsErrors = 0;
  owner.socket.on('error', () => rsErrors++);
  const called = (f, room) => new Promise((resolve) => f(room, (...args) => resolve(args)));
  out({ rsKeepOutside: await called(owner.createNewRoomOnServer, 'rs-elsewhere') });
  out({ rsAskOutside: await called(owner.getRoomFromServer, 'rs-elsewhere') });
  out({ rsKeepInside: await called(owner.createNewRoomOnServer, 'id-rs'), rsAskInside: await called(owner.getRoomFromServer, 'id-rs') });
  owner.socket.emit('keep-session', 'rs-elsewhere'); // as signaler.js sends it, without an ack: refused and counted
  out({ rsAfter: await ack(owner.socket, 'get-session-info', 'id-rs'), rsErrorEvents: rsErrors });

  [alice, bob, sa, sb].forEach((s) => s.disconnect());
  out({ done: true });
  setTimeout(() => process.exit(0), 50);
})().catch(fail);
