package org.sigbridge.xmpp.config;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.sigbridge.config.BridgeConfig;
import org.sigbridge.config.ConfigLoader;
import org.sigbridge.routing.RouteMatch;
import org.sigbridge.xmpp.XmppAdapterFactory;
import org.sigbridge.xmpp.mapping.RoomAddresses;

class ExampleConfigTest {

    @Test
    void exampleRoutesEveryChannelToARoomFromTheEnvironment() throws Exception {
        String yaml = Files.readString(Path.of("../conf/examples/xmpp.yml"));
        // The web adapter is another module; this test checks the xmpp section and the routes.
        String xmppOnly = yaml.replaceAll("(?m)^  web:\\n(    .*\\n)+\\n", "");
        Map<String, String> env = Map.of("XMPP_HOST", "127.0.0.1", "XMPP_PORT", "5299", "XMPP_DOMAIN", "localhost",
                "XMPP_USERNAME", "alice", "XMPP_PASSWORD", "secret", "XMPP_MUC_SERVICE", "conference.localhost",
                "XMPP_TLS", "disabled", "XMPP_OCCUPANTS", "per-user");
        BridgeConfig config = new ConfigLoader(List.of(new XmppAdapterFactory()), env::get).parse(xmppOnly, "xmpp.yml");

        XmppSettings xmpp = (XmppSettings) config.adapters().get("xmpp");
        assertEquals(5299, xmpp.port());
        assertEquals(TlsMode.DISABLED, xmpp.tls());
        assertEquals(OccupantMode.PER_USER, xmpp.occupants());
        RouteMatch match = config.routes().resolve("Some Channel");
        assertEquals("some\\20channel@conference.localhost", RoomAddresses.roomFor(match, xmpp.mucService()).toString());
    }
}
