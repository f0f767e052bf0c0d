// Shared by the seed-style test pages: a DataChannel.js-like peer on top of a page-supplied
// openSignalingChannel(config). ?role=offer|answer&room=R. Candidates travel double-encoded, as in
// DataChannel.js. The offerer re-announces its room until someone joins (dialects.md §1.1). Sets
// window.result to what the data channel brought, or window.failure to an error.
async function runPeer(openSignalingChannel, needsFirstSend) {
  const q = new URLSearchParams(location.search), role = q.get('role'), room = q.get('room');
  // Chrome gathers 127.0.0.1 host candidates only once media permission is granted (see the testkit notes).
  (await navigator.mediaDevices.getUserMedia({ audio: true })).getTracks().forEach(t => t.stop());
  const userToken = role + '-' + Math.random().toString(36).slice(2);
  const pc = new RTCPeerConnection({ iceServers: [] });
  let socket = null, started = false, timer = null, chain = Promise.resolve();
  const send = o => socket.send(Object.assign({ userToken: userToken }, o));
  pc.onicecandidate = e => { if (e.candidate) send({ candidate: { sdpMLineIndex: e.candidate.sdpMLineIndex, candidate: JSON.stringify(e.candidate) } }); };
  if (role === 'offer') {
    const dc = pc.createDataChannel('test');
    dc.onopen = () => dc.send('ping from offerer');
    dc.onmessage = m => { window.result = m.data; };
  } else {
    pc.ondatachannel = e => { e.channel.onmessage = m => { e.channel.send('pong from answerer'); window.result = m.data; }; };
  }
  async function handle(m) {
    if (!m || m.userToken === userToken) return;
    if (m.announce && role === 'answer' && !started) {
      started = true; send({ participant: true });
    } else if (m.participant && role === 'offer' && !started) {
      started = true; clearInterval(timer);
      await pc.setLocalDescription(await pc.createOffer()); send({ sdp: pc.localDescription });
    } else if (m.sdp) {
      await pc.setRemoteDescription(m.sdp);
      if (m.sdp.type === 'offer') { await pc.setLocalDescription(await pc.createAnswer()); send({ sdp: pc.localDescription }); }
    } else if (m.candidate) {
      await pc.addIceCandidate(JSON.parse(m.candidate.candidate));
    }
  }
  const config = {
    channel: room,
    onmessage: m => { chain = chain.then(() => handle(m)).catch(e => { window.failure = String(e); }); },
    callback: s => { socket = s; },
    onopen: s => {
      if (s) socket = s;
      if (role === 'offer') timer = setInterval(() => send({ announce: true, roomToken: room }), 300);
      else if (needsFirstSend) send({ lookingFor: room }); // an envelope socket joins by its first send
    }
  };
  const returned = openSignalingChannel(config);
  if (returned) socket = returned;
}
