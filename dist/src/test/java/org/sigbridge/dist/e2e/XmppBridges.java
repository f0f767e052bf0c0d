package org.sigbridge.dist.e2e;

import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jivesoftware.smack.packet.Message;
import org.sigbridge.testkit.peers.ProsodyServer;

/** YAML for bridges whose web adapter's channels all map to MUC rooms on a test Prosody. */
final class XmppBridges {

    /** The envelope id on the wire: {@code <signal xmlns="urn:sigbridge:signal:0" … id="…">} (docs/design.md §4.2). */
    private static final Pattern SIGNAL_ID = Pattern.compile("<signal xmlns=['\"]urn:sigbridge:signal:0['\"][^>]*? id=['\"]([^'\"]+)['\"]");

    private XmppBridges() {
    }

    /**
     * A bridge named {@code name} (also its nick in every room) with a web adapter on a free port and every
     * channel ({@code *}) routed to {@code {channel}@conference.localhost}, logged in as {@code user};
     * {@code xmppExtra} adds lines to the xmpp section.
     */
    static RunningBridge start(ProsodyServer prosody, String name, String user, String xmppExtra, String webExtra) throws Exception {
        String yaml = RunningBridge.webFrontedYaml(name, webExtra) + """
                  xmpp:
                    type: xmpp
                    host: 127.0.0.1
                    port: ${XMPP_PORT}
                    domain: %s
                    username: %s
                    password: ${XMPP_PASSWORD}
                    tls: disabled
                    muc-service: %s
                    reconnect-backoff-base: 100ms
                    reconnect-backoff-cap: 1s
                %s
                routes:
                  - match: "*"
                    to: xmpp
                    target: "{channel}@%s"
                """.formatted(prosody.domain(), user, prosody.mucService(), (xmppExtra.contains("room-grace") ? xmppExtra : xmppExtra + "\nroom-grace: 1s").indent(4),
                prosody.mucService());
        return RunningBridge.start(yaml, Map.of("XMPP_PORT", Integer.toString(prosody.port()),
                "XMPP_PASSWORD", ProsodyServer.PASSWORD));
    }

    static RunningBridge start(ProsodyServer prosody, String name, String user) throws Exception {
        return start(prosody, name, user, "", "");
    }

    /**
     * The envelope id of a bridge's groupchat message as any client sees it on the wire: {@code signal}'s {@code id}
     * (docs/design.md §4.2; releases up to session 10 also wrote it as an XEP-0359 origin-id).
     */
    static String envelopeId(Message m) {
        Matcher matcher = SIGNAL_ID.matcher(m.toXML().toString());
        if (!matcher.find()) {
            throw new AssertionError("no signal id in " + m.toXML());
        }
        return matcher.group(1);
    }
}
