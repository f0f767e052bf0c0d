// The real /sigbridge.js in Node (20+, run with --experimental-websocket): a page of channel CHANNEL on the bridge at
// BASE (http://host:port, e.g. a balancer). It loads the script from the bridge itself, with the few browser globals it
// reads, and prints one JSON line per event: {"joined":true}, {"resumed":bool}, {"presence":{...}}, {"closed":true}.
// It ends when its standard input closes. Used by PresenceAcrossAHandoverTest (docs/cluster.md §4).
'use strict';
const vm = require('vm');

const [base, channel] = process.argv.slice(2);
if (!base || !channel || typeof WebSocket !== 'function') {
  console.error('usage: node --experimental-websocket sigbridge-page.js http://host:port channel');
  process.exit(2);
}

function line(obj) {
  process.stdout.write(JSON.stringify(obj) + '\n');
}

(async () => {
  const src = await (await fetch(base + '/sigbridge.js')).text();
  globalThis.window = globalThis;
  globalThis.document = { currentScript: { src: base + '/sigbridge.js' } };
  globalThis.location = { href: base + '/page' };
  globalThis.dispatchEvent = () => true;
  // Report the socket's closes so the test knows when the bridge let it go.
  const Native = WebSocket;
  globalThis.WebSocket = function (url) {
    const ws = new Native(url);
    ws.addEventListener('close', () => line({ closed: true }));
    return ws;
  };
  globalThis.WebSocket.prototype = Native.prototype;
  vm.runInThisContext(src, { filename: 'sigbridge.js' });
  openSignalingChannel({
    channel,
    onjoined: () => line({ joined: true }),
    onresume: (r) => line({ resumed: r.recovered }),
    onpresence: (e) => line({ presence: e }),
    onmessage: () => {},
  });
  process.stdin.resume();
  process.stdin.on('end', () => process.exit(0));
})().catch((e) => {
  console.error(e);
  process.exit(1);
});
