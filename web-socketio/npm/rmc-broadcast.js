// Scripts RTCMultiConnection 3.7's scalable broadcast (a page with `enableScalableBroadcast`, as the library's
// Scalable-Broadcast demo drives it) with socket.io-client 4.8 against a server and prints the transcript: one JSON line
// per step with the acks and what each client heard since the previous step. The same script runs against sigbridge and
// against the real rtcmulticonnection-server 1.3.3 (web-socketio/reference/rmc-server.js), and RmcDifferentialTest
// compares the two; steps named "(differs)" are where docs/socketio.md says sigbridge differs.
// The broadcast `bc` is served to viewers v1, v2, v3 with maxRelayLimitPerUser=1, so the relay tree is exercised:
// the broadcaster's one slot, a viewer that can relay, the fall-back to the broadcaster when nobody can, a relaying
// viewer leaving (its receivers are asked to rejoin), and the broadcaster leaving (everyone is told it stopped).
// usage: node rmc-broadcast.js <baseUrl>
const { MSG: M, client: open, fail, limit } = require('./rmc-transcript-client');
const [base] = process.argv.slice(2);
limit(25000);
const out = (o) => process.stdout.write(JSON.stringify(o === undefined ? null : o) + '\n');

// a page's socket as RTCMultiConnection opens it with enableScalableBroadcast (or without, `scalable` false)
const client = (userid, extra, scalable) => open(base, userid, extra, ['websocket'],
    scalable ? '&enableScalableBroadcast=true&maxRelayLimitPerUser=1' : '');
const AV = { audio: true, video: true };
const join = (userid) => ({ broadcastId: 'bc', userid, typeOfStreams: AV });

(async () => {
  const e = await client('eve', { name: 'E' }, false);
  const a = await client('bc', { broadcastId: 'bc' }, true);
  out({ step: 'A checks its broadcast before it starts', ack: await a.call('check-broadcast-presence', 'bc') });
  a.s.emit('join-broadcast', join('bc'));
  out({ step: 'A starts the broadcast', A: await a.take(3) });
  out({ step: 'A opens the broadcast room', ack: await a.call('open-room', { sessionid: 'bc', session: { audio: true, video: true, oneway: true },
    extra: { broadcastId: 'bc' }, password: '' }) });
  const b = await client('v1', { broadcastId: 'bc' }, true);
  out({ step: 'B asks about the broadcast', present: await b.call('check-broadcast-presence', 'bc'), absent: await b.call('check-broadcast-presence', 'zz'),
    viewers: await b.call('get-number-of-users-in-specific-broadcast', 'bc'), unknown: await b.call('get-number-of-users-in-specific-broadcast', 'zz') });
  b.s.emit('join-broadcast', join('v1'));
  out({ step: 'B joins the broadcast', A: await a.take(2), B: await b.take(2) });
  out({ step: 'B joins the room of its broadcastId', ack: await b.call('join-room', { sessionid: 'elsewhere', session: { audio: true, video: true, oneway: true },
    extra: { broadcastId: 'bc' }, password: '' }) });
  b.s.emit(M, { remoteUserId: 'bc', message: { newParticipationRequest: true, isOneWay: true, isDataOnly: false }, sender: 'v1' });
  out({ step: 'B asks its relayer to take part (differs)', A: await a.take(1), B: await b.take(1) });
  a.s.emit(M, { remoteUserId: 'v1', message: { type: 'offer', sdp: 'v=0' }, sender: 'bc' });
  out({ step: 'A offers to B', A: await a.take(0), B: await b.take(1) });
  b.s.emit('can-relay-broadcast');
  await b.take(0); // served before C joins: the server orders one socket's events, not two sockets'
  const c = await client('v2', { broadcastId: 'bc' }, true);
  c.s.emit('join-broadcast', join('v2'));
  out({ step: 'C joins and is served by B, which can relay', A: await a.take(1), B: await b.take(1), C: await c.take(2) });
  const d = await client('v3', { broadcastId: 'bc' }, true);
  d.s.emit('join-broadcast', join('v3'));
  out({ step: 'D joins; nobody else can relay, so the broadcaster serves it', A: await a.take(2), B: await b.take(0), C: await c.take(0), D: await d.take(2) });
  out({ step: 'D counts the viewers', ack: await d.call('get-number-of-users-in-specific-broadcast', 'bc') });
  c.s.emit('scalable-broadcast-message', { hello: 'everyone' });
  out({ step: 'C sends a broadcast message', A: await a.take(1), B: await b.take(1), C: await c.take(0), D: await d.take(1), E: await e.take(1) });
  e.s.emit('join-broadcast', join('eve'));
  e.s.emit('scalable-broadcast-message', { from: 'E' });
  out({ step: 'E, without enableScalableBroadcast, is not served', A: await a.take(0), E: await e.take(0) });
  out({ step: 'A disconnects from B', ack: await a.call('disconnect-with', 'v1'), A: await a.take(1), B: await b.take(1) });
  c.s.emit('can-relay-broadcast');
  await c.take(0); // served before B leaves (whose leaving resets it)
  b.s.close();
  out({ step: 'B, a relayer, leaves: C is asked to rejoin', A: await a.take(1), C: await c.take(1), D: await d.take(0) });
  c.s.emit('join-broadcast', join('v2'));
  out({ step: 'C rejoins and is served by the broadcaster', A: await a.take(1), C: await c.take(2),
    viewers: await c.call('get-number-of-users-in-specific-broadcast', 'bc') });
  d.s.emit('can-not-relay-broadcast');
  await d.take(0);
  a.s.close();
  out({ step: 'A, the broadcaster, leaves', C: await c.take(1), D: await d.take(1) });
  out({ step: 'the broadcast is gone', present: await c.call('check-broadcast-presence', 'bc'), viewers: await c.call('get-number-of-users-in-specific-broadcast', 'bc') });
  [c, d, e].forEach((x) => x.s.close());
  out({ done: true });
  process.exit(0);
})().catch(fail);
