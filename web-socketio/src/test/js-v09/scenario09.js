// Drives the real socket.io-client 0.9.16 (xhr-polling: its WebSocket transport needs a browser) against a server on
// <baseUrl>; prints one JSON line per observation and {"done":true} at the end.
// usage: node scenario09.js <baseUrl> <scenario>
const io = require('socket.io-client');
// xhr-polling only: in Node the client's WebSocket (ws 0.4) sends an Origin without a scheme, which the bridge's
// Origin gate refuses; and io.util.merge merges a transports option element-wise into the default list, so the default
// itself is replaced.
io.transports = ['xhr-polling'];
const [base, scenario] = process.argv.slice(2);
const out = (o) => process.stdout.write(JSON.stringify(o) + '\n');
const fail = (why) => { out({ fail: String(why) }); process.exit(2); };
setTimeout(() => fail('timeout in ' + scenario), 20000);
process.on('unhandledRejection', fail);

function open(path) {
  return io.connect(base + (path || ''), { 'force new connection': true, reconnect: false });
}
function connected(s) { return new Promise((resolve) => s.on('connect', () => resolve(s))); }
function next(s, ev) { return new Promise((resolve) => s.once(ev, (...args) => resolve(args))); }
function ack(s, ...args) { return new Promise((resolve) => s.emit(...args, (...r) => resolve(r))); }
const pause = (ms) => new Promise((r) => setTimeout(r, ms));
const done = (...sockets) => { sockets.forEach((s) => s.disconnect()); out({ done: true }); setTimeout(() => process.exit(0), 50); };

(async () => {
  if (scenario === 'relay') {
    // Signaling.md plain broadcast on the root namespace: everybody else hears it, the sender does not
    const a = await connected(open());
    const b = await connected(open());
    let aHeardOwn = false; a.on('message', (v) => { if (v && v.sender === 'alice') aHeardOwn = true; });
    const got = next(b, 'message');
    a.emit('message', { sender: 'alice', channel: 'room1', message: { sdp: 'v=0', n: 1 } });
    out({ received: (await got)[0] });
    const back = next(a, 'message');
    b.send('plain text');
    out({ back: (await back)[0] });
    await pause(300);
    out({ aHeardOwn });
    done(a, b);
  } else if (scenario === 'reliable') {
    // Reliable-Signaler: keep-in-server acks bare; get-session-info answers when the room appears
    const a = await connected(open());
    const b = await connected(open());
    const waiting = ack(b, 'get-session-info', 'roomR');
    await pause(200);
    out({ kept: await ack(a, 'keep-in-server', 'roomR') });
    out({ info: await waiting });
    out({ again: await ack(b, 'get-session-info', 'roomR') });
    done(a, b);
  } else if (scenario === 'overnodejs' || scenario === 'transcript') {
    // socketio-over-nodejs: announce on the root, talk on the namespace, user-left, presence
    const transcript = [];
    const log = (who, ev, ...args) => transcript.push([who, ev, ...args]);
    const a = await connected(open());
    a.emit('new-channel', { channel: 'room1', sender: 111 });
    const an = a.socket.of('/room1');
    await connected(an);
    const b = await connected(open());
    b.emit('presence', 'room1');
    log('b', 'presence', ...(await next(b, 'presence')));
    b.emit('presence', 'nowhere');
    log('b', 'presence', ...(await next(b, 'presence')));
    b.emit('new-channel', { channel: 'room1', sender: 222 });
    const bn = b.socket.of('/room1');
    await connected(bn);
    const toB = next(bn, 'message');
    an.emit('message', { sender: 111, data: { sender: 'alice', message: 'hi' } });
    log('b', 'message', ...(await toB));
    const toA = next(an, 'message');
    bn.emit('message', { sender: 222, data: { sender: 'bob', message: 'hello' } });
    log('a', 'message', ...(await toA));
    const left = next(an, 'user-left');
    bn.disconnect();
    log('a', 'user-left', ...(await left));
    a.disconnect();
    // The server learns of a's disconnect when its transport closes, on its own time (300 ms was not always enough
    // under the full suite's load): ask until room1 is gone, at most 5 s; the transcript keeps the last answer.
    let answer;
    for (let i = 0; i < 50; i++) {
      await pause(100);
      b.emit('presence', 'room1');
      answer = await next(b, 'presence');
      if (answer[0] === false) break;
    }
    log('b', 'presence', ...answer);
    if (scenario === 'transcript') {
      out({ transcript });
    } else {
      transcript.forEach((t) => out({ t }));
    }
    done(b);
  } else if (scenario === 'channel-page') {
    // a 0.9 socketio-over-nodejs page on channel "mixed" (the Java test drives a channels page on the same channel)
    const a = await connected(open());
    a.emit('new-channel', { channel: 'mixed', sender: 5 });
    const an = a.socket.of('/mixed');
    await connected(an);
    out({ ready: true });
    const heard = await next(an, 'message');
    out({ heard: heard[0] });
    an.emit('message', { sender: 5, data: { sender: 'old-page', message: 'hello channels page' } });
    await pause(500);
    done(a);
  } else if (scenario === 'broadcast-page') {
    // a Signaling.md plain broadcast page joined to channel "mix4" (the Java test drives a socket.io 4 client there)
    const a = await connected(open('?channel=mix4'));
    out({ ready: true });
    const heard = await next(a, 'message');
    out({ heard: heard[0] });
    a.emit('message', { sender: 'old-page', channel: 'mix4', message: 'hello 4.x' });
    await pause(500);
    done(a);
  } else {
    fail('unknown scenario ' + scenario);
  }
})();
