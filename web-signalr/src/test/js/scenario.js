// Drives the real @microsoft/signalr client in Node against a sigbridge web port; prints one JSON line per observation
// and {"done":true} last. usage: node scenario.js <baseUrl> <scenario> [WebSockets|ServerSentEvents|LongPolling]
const signalR = require('@microsoft/signalr');
const [base, scenario, transportName] = process.argv.slice(2);
const transport = signalR.HttpTransportType[transportName || 'WebSockets'];
if (transport === undefined) { throw new Error('unknown transport ' + transportName); }
const out = (o) => process.stdout.write(JSON.stringify(o) + '\n');
const fail = (why) => { out({ fail: String(why && why.stack || why) }); process.exit(2); };
const deadline = setTimeout(() => fail('timeout in ' + scenario), 20000);

function hub(name, options) {
  return new signalR.HubConnectionBuilder()
    .withUrl(base + 'hubs/' + name, Object.assign({ transport }, options || {}))
    .configureLogging(signalR.LogLevel.Warning)
    .build();
}
function next(connection) {
  return new Promise((resolve) => {
    const handler = (text) => { connection.off('onMessageReceived', handler); resolve(text); };
    connection.on('onMessageReceived', handler);
  });
}
const quiet = (ms) => new Promise((r) => setTimeout(r, ms));

(async () => {
  if (scenario === 'broadcast') {
    const a = hub('webRtcHub3');
    const b = hub('webRtcHub3');
    const c = hub('otherHub');
    await Promise.all([a.start(), b.start(), c.start()]);
    let cHeard = 0; c.on('onMessageReceived', () => { cHeard++; });
    const text = JSON.stringify({ message: { sdp: 'v=0', n: 1 }, channel: 'room1' });
    const atB = next(b); const atA = next(a);
    const result = await a.invoke('Send', text);
    out({ result, received: await atB, echo: await atA });
    const plain = next(a);
    await b.send('Send', 'hello \u00e9');
    out({ plain: await plain });
    await quiet(300);
    out({ cHeard, ids: typeof a.connectionId === 'string' && a.connectionId !== b.connectionId });
    await Promise.all([a.stop(), b.stop(), c.stop()]);
  } else if (scenario === 'listenFirst') {
    // b never sent on room7 but hears it: every connection of a hub hears every channel of that hub
    const a = hub('h1'); const b = hub('h1');
    await Promise.all([a.start(), b.start()]);
    const atB = next(b);
    await a.invoke('send', JSON.stringify({ message: 'x', channel: 'room7' }));
    out({ received: await atB });
    await Promise.all([a.stop(), b.stop()]);
  } else if (scenario === 'errors') {
    const a = hub('h2');
    await a.start();
    const err = async (p) => { try { await p; return 'no error'; } catch (e) { return e.message; } };
    out({ unknown: await err(a.invoke('NoSuchMethod', 1)) });
    out({ binding: await err(a.invoke('Send', 42)) });
    await a.send('NoSuchMethod');
    const back = next(a);
    await a.invoke('Send', 'still here');
    out({ state: a.state, echo: await back });
    out({ transport: a.connection.transport && a.connection.transport.constructor.name });
    await a.stop();
  } else if (scenario === 'skipNegotiation') {
    const a = hub('h3', { skipNegotiation: true });
    const b = hub('h3');
    await Promise.all([a.start(), b.start()]);
    const atA = next(a);
    await b.invoke('Send', 'over a socket without negotiate');
    out({ received: await atA });
    await Promise.all([a.stop(), b.stop()]);
  } else if (scenario === 'keepAlive') {
    // the server pings every 500 ms (signalr.keep-alive-interval); a client that expects to hear something every
    // 1500 ms stays connected for 4 s without sending a thing after its handshake ping
    const a = hub('h4');
    a.serverTimeoutInMilliseconds = 1500;
    a.keepAliveIntervalInMilliseconds = 60000;
    let closed = null; a.onclose((e) => { closed = e ? e.message : 'closed'; });
    await a.start();
    await quiet(2500);
    out({ afterQuiet: a.state, closed });
    // now the client stays silent past the server's client-timeout (3 s): the server closes with an error
    const why = await new Promise((resolve) => { a.onclose((e) => resolve(e ? e.message : 'no error')); });
    out({ closedBy: why });
  } else if (scenario === 'stop') {
    const a = hub('h5'); const b = hub('h5');
    await Promise.all([a.start(), b.start()]);
    const closed = new Promise((resolve) => a.onclose((e) => resolve(e ? e.message : null)));
    await a.stop();
    out({ closedError: await closed, state: a.state });
    // b still works after a left
    const atB = next(b);
    await b.invoke('Send', 'alone');
    out({ echo: await atB });
    await b.stop();
  } else {
    fail('unknown scenario ' + scenario);
  }
  clearTimeout(deadline);
  out({ done: true });
  process.exit(0);
})().catch(fail);
