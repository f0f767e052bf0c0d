'use strict';
// Baseline relay for sigbridge benchmarks: the two WebSocket dialects sigbridge's web adapter speaks
// (DESIGN.md §3, dialects.md §2), written the way a competent Node developer would: `ws`, one process,
// in-memory channel sets, and per-socket write batching (frames for one socket produced in one event-loop
// turn are written with a single cork/uncork, so the kernel sees one write instead of many).
//
//   channels: {open:true,channel} subscribes; {checkPresence:true,channel} -> {"isChannelPresent":bool};
//             {channel,data} -> JSON of `data` to every other member (falsy data dropped).
//   envelope: {sender,channel,message} -> the whole envelope to every other member; a socket joins by
//             ?channel= in its URL, an {open:true,channel} frame, or its first send.
// Dialect: path /ws/channels or /ws/envelope, else ?channel= means envelope, else the first publishing
// frame decides (`data` -> channels, `message` -> envelope), as in sigbridge.
//
// Usage: node relay.js [--port N] [--host 127.0.0.1]. Prints "node-relay ready on HOST:PORT" when listening.

const { WebSocketServer } = require('ws');

const args = process.argv.slice(2);
function arg(name, fallback) {
  const i = args.indexOf('--' + name);
  return i >= 0 && i + 1 < args.length ? args[i + 1] : fallback;
}
const host = arg('host', '127.0.0.1');
const port = Number(arg('port', '12034'));

const channels = new Map(); // channel name -> Set of sockets

// ---- write batching: cork a socket on its first frame in this turn, uncork all of them once per turn.
const corked = [];
let flushScheduled = false;
function flush() {
  flushScheduled = false;
  for (let i = 0; i < corked.length; i++) {
    const ws = corked[i];
    ws.isCorked = false;
    if (ws._socket) ws._socket.uncork();
  }
  corked.length = 0;
}
function deliver(ws, text) {
  if (ws.readyState !== 1) return;
  if (!ws.isCorked && ws._socket) {
    ws._socket.cork();
    ws.isCorked = true;
    corked.push(ws);
    if (!flushScheduled) {
      flushScheduled = true;
      setImmediate(flush);
    }
  }
  ws.send(text);
}

function join(ws, channel) {
  if (typeof channel !== 'string' || channel === '') return;
  let members = channels.get(channel);
  if (!members) {
    members = new Set();
    channels.set(channel, members);
  }
  members.add(ws);
  ws.joined.add(channel);
}

function leaveAll(ws) {
  for (const channel of ws.joined) {
    const members = channels.get(channel);
    if (!members) continue;
    members.delete(ws);
    if (members.size === 0) channels.delete(channel);
  }
  ws.joined.clear();
}

function fanOut(from, channel, text) {
  const members = channels.get(channel);
  if (!members) return;
  for (const member of members) {
    if (member !== from) deliver(member, text);
  }
}

function onFrame(ws, raw) {
  let frame;
  try {
    frame = JSON.parse(raw);
  } catch (e) {
    deliver(ws, '{"error":{"code":"invalid_json","detail":"frame is not JSON"}}');
    return;
  }
  if (frame === null || typeof frame !== 'object') return;
  const channel = frame.channel;
  if (frame.checkPresence) {
    if (typeof channel === 'string' && channel !== '') {
      const members = channels.get(channel);
      deliver(ws, JSON.stringify({ isChannelPresent: !!(members && members.size > 0) }));
    }
    return;
  }
  if (frame.open) {
    join(ws, channel);
    return;
  }
  if (ws.dialect === 'undecided') {
    if ('data' in frame) ws.dialect = 'channels';
    else if ('message' in frame) ws.dialect = 'envelope';
  }
  if (ws.dialect === 'envelope') {
    if (typeof channel !== 'string' || channel === '') return;
    if (!ws.joined.has(channel)) join(ws, channel);
    fanOut(ws, channel, raw); // whole envelope, as received
  } else {
    if (!frame.data || typeof channel !== 'string') return; // falsy data is dropped (dialects.md §2.2)
    fanOut(ws, channel, JSON.stringify(frame.data));
  }
}

const wss = new WebSocketServer({ host, port, maxPayload: 64 * 1024, perMessageDeflate: false, clientTracking: false });

wss.on('connection', (ws, request) => {
  const url = new URL(request.url, 'http://relay');
  ws.joined = new Set();
  ws.isCorked = false;
  const urlChannel = url.searchParams.get('channel');
  if (url.pathname === '/ws/channels') ws.dialect = 'channels';
  else if (url.pathname === '/ws/envelope' || urlChannel) ws.dialect = 'envelope';
  else ws.dialect = 'undecided';
  if (urlChannel) join(ws, urlChannel);
  ws.on('message', (data, isBinary) => {
    if (!isBinary) onFrame(ws, data.toString());
  });
  ws.on('close', () => leaveAll(ws));
  ws.on('error', () => leaveAll(ws));
});

wss.on('listening', () => {
  const address = wss.address();
  console.log(`node-relay ready on ${address.address}:${address.port} (node ${process.version}, pid ${process.pid})`);
});

function shutdown() {
  wss.close();
  process.exit(0);
}
process.on('SIGTERM', shutdown);
process.on('SIGINT', shutdown);
