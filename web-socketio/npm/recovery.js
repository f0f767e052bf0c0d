// socket.io 4.6+ connection state recovery with the real socket.io-client 4.8 against a sigbridge web port (or the
// reference socket.io 4.8 server, reference/recovery-server.js); prints one
// JSON line per observation. usage: node recovery.js <baseUrl> <case: recovered|late|trimmed> <transports: polling|websocket>
// The client needs nothing set: it recovers whenever the server's CONNECT answer carried a pid.
const [base, scenario, mode] = process.argv.slice(2);
const { io } = require('socket.io-client');
const transports = mode === 'polling' ? ['polling'] : ['websocket'];
const out = (o) => process.stdout.write(JSON.stringify(o) + '\n');
const fail = (why) => { out({ fail: String(why) }); process.exit(2); };
setTimeout(() => fail('timeout in ' + scenario), 20000);

// reconnection is driven by hand (socket.connect()), so that what is published while the client is away is known
const open = () => io(base, { transports, upgrade: false, query: { channel: 'csr-' + scenario }, forceNew: true, reconnection: false });
const connected = (s) => new Promise((resolve, reject) => { s.once('connect', () => resolve(s)); s.once('connect_error', reject); });
const next = (s, ev) => new Promise((resolve) => s.once(ev, (...args) => resolve(args)));
const publish = (s, n) => s.timeout(5000).emitWithAck('message', { sender: 'a', n });
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

(async () => {
  const a = await connected(open());
  const b = await connected(open());
  out({ pid: typeof b._pid === 'string' && b._pid.length > 0, recoveredAtFirst: b.recovered });
  const got = [];
  let waiter = null;
  b.on('message', (value, offset) => {
    got.push({ n: value.n, offset: typeof offset });
    if (waiter && got.length >= waiter.count) { waiter.resolve(); waiter = null; }
  });
  const until = (count) => got.length >= count ? Promise.resolve() : new Promise((resolve) => { waiter = { count, resolve }; });

  await publish(a, 0);
  await until(1);
  out({ first: got[0] });
  // b's own message after its last received one: it must not come back to b when it recovers
  out({ ownAck: await b.timeout(5000).emitWithAck('message', { sender: 'b', n: 'own' }) });

  const firstId = b.id;
  const down = next(b, 'disconnect');
  b.io.engine.close(); // the transport breaks ('forced close' on the client); no DISCONNECT packet is sent
  out({ reason: (await down)[0] });
  const missed = scenario === 'trimmed' ? [1, 2, 3, 4] : [1, 2, 3];
  for (const n of missed) {
    await publish(a, n); // acked: published on the bridge while b is away
  }
  if (scenario === 'late') {
    await sleep(1500); // past the bridge's max-disconnection-duration (1s in this test)
  }
  const before = got.length;
  b.connect();
  await next(b, 'connect');
  out({ recovered: b.recovered, sameId: b.id === firstId });
  await publish(a, 'live');
  const expected = before + (b.recovered ? missed.length : 0) + 1;
  await until(expected);
  await sleep(300); // the quiet period: nothing more may arrive (no duplicate, no echo)
  out({ afterReconnect: got.slice(before).map((m) => m.n), offsets: [...new Set(got.map((m) => m.offset))] });
  [a, b].forEach((s) => s.close());
  out({ done: true });
  process.exit(0);
})().catch(fail);
