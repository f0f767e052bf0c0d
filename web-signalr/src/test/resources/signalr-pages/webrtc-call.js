// The WebRTC call of the SignalR test pages (classic.html, core.html), loaded after the page's own script: it uses that
// script's q (the query), me (this page's sender id), t (test state) and openSignalingChannel(config), the seed's
// signaling pattern, which each page writes with its own client. ?role=offer|answer&room=R: the offerer opens a data
// channel, each side says "hi from <role>" on it and keeps what it hears in t.received; t.state is the connection's.

const pc = new RTCPeerConnection({ iceServers: [] });
pc.onconnectionstatechange = () => { t.state = pc.connectionState; };
function wire(dc) {
  dc.onopen = () => dc.send('hi from ' + q.get('role'));
  dc.onmessage = e => t.received.push(e.data);
}
const signaling = openSignalingChannel({
  channel: q.get('room'),
  onopen: async () => {
    if (q.get('role') !== 'offer') return;
    wire(pc.createDataChannel('chat'));
    await pc.setLocalDescription(await pc.createOffer());
    signaling.send({ sender: me, sdp: pc.localDescription });
  },
  // Messages are handled one after another: a batch (a long poll) may hold the offer and its candidates.
  onmessage: message => { queue = queue.then(() => handle(message)); }
});
let queue = Promise.resolve();
const early = []; // candidates that came before the description (long-polling sends are separate requests)
async function handle(message) {
    try {
      if (message.candidate && !pc.remoteDescription) {
        early.push(message.candidate);
      } else if (message.sdp) {
        await pc.setRemoteDescription(message.sdp);
        while (early.length) await pc.addIceCandidate(early.shift());
        if (message.sdp.type === 'offer') {
          await pc.setLocalDescription(await pc.createAnswer());
          signaling.send({ sender: me, sdp: pc.localDescription });
        }
      } else if (message.candidate) {
        await pc.addIceCandidate(message.candidate);
      }
    } catch (e) { t.errors.push('webrtc: ' + e); }
}
pc.onicecandidate = e => { if (e.candidate) signaling.send({ sender: me, candidate: e.candidate.toJSON() }); };
pc.ondatachannel = e => wire(e.channel);
