// Verified identity (identity.mode: verified) with the real socket.io-client against a sigbridge web port; prints one
// JSON line per observation and {"done":true} at the end.
// usage: node identity.js <baseUrl> <client: 4|2> <tokens JSON: {alice, bob, expired, audience, hs384, scoped}>
// Client 4 (Engine.IO 4, protocol v5) carries the token in auth ({auth: {token}}) or in the query; client 2 (Engine.IO 3,
// protocol v4) in the query only. A refusal is a CONNECT_ERROR: 4.x fires connect_error with its message, 2.x 'error'.
const [base, client, tokensJson] = process.argv.slice(2);
const tokens = JSON.parse(tokensJson);
const { io } = client === '4' ? require('socket.io-client') : { io: require('socket.io-client-' + client) };
const out = (o) => process.stdout.write(JSON.stringify(o) + '\n');
const fail = (why) => { out({ fail: String(why && why.stack || why) }); process.exit(2); };
let stage = 'start';
setTimeout(() => fail('timeout at ' + (typeof stage === 'function' ? stage() : stage)), 25000);
process.on('unhandledRejection', fail);

const v5 = client === '4';
function open(query, auth, path) {
  const opts = { transports: ['websocket'], forceNew: true, reconnection: false, query };
  if (auth) opts.auth = auth;
  return io(base + (path || ''), opts);
}
// resolves with {connected: true} or {refused: message}
function outcome(s) {
  return new Promise((resolve) => {
    s.once('connect', () => resolve({ connected: true }));
    if (v5) {
      s.once('connect_error', (e) => resolve({ refused: e.message }));
    } else {
      s.once('error', (e) => resolve({ refused: typeof e === 'string' ? e : JSON.stringify(e) }));
    }
  });
}
async function connected(s) {
  const o = await outcome(s);
  if (!o.connected) throw new Error('not connected: ' + o.refused);
  return s;
}
const next = (s, ev) => new Promise((resolve) => s.once(ev, (...args) => resolve(args)));
const ack = (s, ...args) => new Promise((resolve) => s.emit(...args, (...r) => resolve(r)));
const tokenIn = (name, channel, extra) => Object.assign({ channel, token: tokens[name] }, extra || {});

(async () => {
  // relay: alice (auth on 4.x, query on 2.x) and bob (query) on one channel
  const alice = await connected(v5 ? open({ channel: 'id-room' }, { token: tokens.alice }) : open(tokenIn('alice', 'id-room')));
  const bob = await connected(open(tokenIn('bob', 'id-room')));
  const heard = [];
  let waiter = null;
  bob.on('message', (v) => { heard.push(v); if (waiter && heard.length >= waiter.n) { waiter.resolve(); waiter = null; } });
  const until = (n) => heard.length >= n ? Promise.resolve() : new Promise((resolve) => { waiter = { n, resolve }; });
  out({ own: await ack(alice, 'message', { sender: 'alice', n: 1 }) });
  const errorEvent = next(alice, 'error');
  out({ impersonation: await ack(alice, 'message', { sender: 'bob', n: 2 }), errorEvent: (await errorEvent)[0] });
  out({ bare: await ack(alice, 'message', { n: 3 }) });
  stage = () => 'bob waits for 1 and 3, heard so far ' + JSON.stringify(heard);
  await until(2);
  stage = 'refusals';
  out({ bobHeard: heard.map((v) => v.n), senders: heard.map((v) => v.sender === undefined ? null : v.sender) });

  // refusals, in protocol terms
  for (const name of ['expired', 'audience', 'hs384']) {
    out({ case: name, ...(await outcome(v5 ? open({ channel: 'id-room' }, { token: tokens[name] }) : open(tokenIn(name, 'id-room')))) });
  }
  out({ case: 'missing', ...(await outcome(open({ channel: 'id-room' }))) });
  out({ case: 'scope', ...(await outcome(open(tokenIn('scoped', 'elsewhere')))) });
  out({ case: 'inScope', ...(await outcome(open(tokenIn('scoped', 'id-room')))) });

  // RTCMultiConnection: the userid is the token's; another one is refused; a message naming another sender is refused
  const rmc = (name, userid) => open({ userid, msgEvent: 'RTCMultiConnection-Message', socketCustomEvent: 'custom', token: tokens[name] });
  out({ case: 'rmcOtherUserid', ...(await outcome(rmc('alice', 'mallory'))) });
  const ra = await connected(rmc('alice', 'alice'));
  const rb = await connected(rmc('bob', 'bob'));
  out({ opened: await ack(ra, 'open-room', { sessionid: 'id-rmc', session: { data: true }, extra: {} }) });
  out({ joined: await ack(rb, 'join-room', { sessionid: 'id-rmc', extra: {} }) });
  const got = next(ra, 'RTCMultiConnection-Message');
  const refused = next(rb, 'error');
  rb.emit('RTCMultiConnection-Message', { remoteUserId: 'alice', sender: 'alice', message: { n: 'forged' } });
  out({ rmcImpersonation: (await refused)[0] });
  rb.emit('RTCMultiConnection-Message', { remoteUserId: 'alice', sender: 'bob', message: { n: 'real' } });
  const m = (await got)[0];
  out({ rmcHeard: { sender: m.sender, n: m.message.n } });
  const renamed = next(rb, 'error');
  rb.emit('changed-uuid', 'alice2');
  out({ rename: (await renamed)[0].code });

  if (!v5) {
    // signalmaster (SimpleWebRTC's root socket names no channel): admitted under a scoped token; rooms are checked as it joins
    const sm = await connected(open({ token: tokens.scoped }));
    out({ smOutside: await ack(sm, 'join', 'elsewhere') });
    out({ smInside: await ack(sm, 'join', 'id-sm') });
    sm.close();
  }
  [alice, bob, ra, rb].forEach((s) => s.close());
  out({ done: true });
  process.exit(0);
})().catch(fail);
