package org.sigbridge.xmpp.mapping;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.sigbridge.SigBridge;
import org.sigbridge.config.ConfigLoader;
import org.sigbridge.xmpp.XmppAdapterFactory;

/**
 * What logs, the admin API and the demo page show as a channel's room: the XEP-0106-escaped JID the MUC service
 * knows, not the channel name pasted into the template. The bridge is built, not started: no server is needed.
 */
class UpstreamAddressTest {

    @Test
    void diagnosticsShowTheEscapedRoomJid() throws Exception {
        SigBridge bridge = SigBridge.create(new ConfigLoader(List.of(new XmppAdapterFactory()), Map.<String, String>of()::get).parse("""
                adapters:
                  xmpp: {type: xmpp, domain: localhost, anonymous: true, muc-service: conference.localhost}
                routes:
                  - {match: "Support*", to: xmpp}
                  - {match: "lobby-*", to: xmpp, target: "sb-{channel}@rooms.localhost"}
                """, "test.yml"));

        assertEquals("support\\2fteam\\201@conference.localhost",
                bridge.hub().ops().upstreamAddress(bridge.hub().route("Support/Team 1")));
        assertEquals("sb-lobby-a\\20b@rooms.localhost", bridge.hub().ops().upstreamAddress(bridge.hub().route("lobby-A B")));
        assertEquals("", bridge.hub().ops().upstreamAddress(bridge.hub().route("elsewhere")), "a local channel has no upstream");
    }
}
