// A native XMPP user written with the real @xmpp/client (xmpp.js), driven by interop-test's XmppJsClientTest.
//
//   node muc-peer.mjs PORT DOMAIN USER PASSWORD ROOM_JID NICK
//
// Connects to xmpp://127.0.0.1:PORT (STARTTLS when the server offers it; trust comes from NODE_EXTRA_CA_CERTS),
// joins ROOM_JID as NICK (XEP-0045, no history), prints one JSON line per event on stdout and:
//   - for every groupchat message from another occupant whose body holds {"type":"offer"...}, answers in the
//     room with {"type":"answer","to":<the offer's sender nick>} and prints {"answered":...};
//   - ends after its first answer, or after 20 s, with {"done":true} (exit code 0) or {"error":...} (exit 1).
import { client, xml } from "@xmpp/client";

const [port, domain, username, password, room, nick] = process.argv.slice(2);
const out = (o) => process.stdout.write(JSON.stringify(o) + "\n");
const xmpp = client({ service: `xmpp://127.0.0.1:${port}`, domain, username, password, resource: "xmppjs" });
// xmpp.js waits 2 s by default for each step (stream open, STARTTLS, SASL, bind): a loaded CI machine can take longer
xmpp.timeout = 10000;
let finished = false;

async function finish(code, extra) {
  if (finished) return;
  finished = true;
  if (extra) out(extra);
  try {
    await xmpp.send(xml("presence", { to: `${room}/${nick}`, type: "unavailable" }));
    await xmpp.stop();
  } catch (e) {
    // closing is best effort
  }
  out(code === 0 ? { done: true } : { error: "exit " + code });
  process.exit(code);
}

const timer = setTimeout(() => finish(1, { error: "no offer within 20 s" }), 20000);

xmpp.on("error", (err) => finish(1, { error: String(err && err.message || err) }));

xmpp.on("stanza", async (stanza) => {
  const from = stanza.attrs.from || "";
  if (stanza.is("presence") && from.startsWith(room + "/")) {
    const occupant = from.substring(room.length + 1);
    const self = stanza.getChild("x", "http://jabber.org/protocol/muc#user")?.getChildren("status")
      .some((s) => s.attrs.code === "110");
    out({ presence: occupant, type: stanza.attrs.type || "available", self: !!self });
    return;
  }
  if (!stanza.is("message") || stanza.attrs.type !== "groupchat" || !from.startsWith(room + "/")) return;
  const sender = from.substring(room.length + 1);
  const body = stanza.getChildText("body");
  if (sender === nick || body == null) return;
  out({ message: body, from: sender });
  let parsed;
  try { parsed = JSON.parse(body); } catch (e) { return; }
  if (parsed && parsed.type === "offer") {
    const answer = JSON.stringify({ type: "answer", to: sender, sdp: "v=0 from xmpp.js" });
    await xmpp.send(xml("message", { to: room, type: "groupchat" }, xml("body", {}, answer)));
    clearTimeout(timer);
    await finish(0, { answered: answer });
  }
});

xmpp.on("online", async (address) => {
  const tls = xmpp.socket && xmpp.socket.secure === true && xmpp.socket.socket ? xmpp.socket.socket.getProtocol() : null;
  out({ online: address.toString(), tls });
  await xmpp.send(xml("presence", { to: `${room}/${nick}` },
    xml("x", { xmlns: "http://jabber.org/protocol/muc" }, xml("history", { maxstanzas: "0" }))));
});

xmpp.start().catch((err) => finish(1, { error: "start: " + String(err && err.message || err) }));
