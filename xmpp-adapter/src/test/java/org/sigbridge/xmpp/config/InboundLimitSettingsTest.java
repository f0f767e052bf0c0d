package org.sigbridge.xmpp.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.sigbridge.config.BridgeConfig;
import org.sigbridge.config.ConfigException;
import org.sigbridge.config.ConfigLoader;
import org.sigbridge.xmpp.XmppAdapterFactory;

/** The {@code inbound-limit:} keys of an xmpp section (conf/reference/xmpp.md "Inbound limit"). */
class InboundLimitSettingsTest {

    @Test
    void absentKeysTakeTheDocumentedDefaults() throws Exception {
        InboundLimitSettings limits = load("""
                adapters:
                  xmpp: {type: xmpp, domain: localhost, username: alice, password: x}
                """).inboundLimit();
        assertEquals(new InboundLimitSettings(200, 400, 1000, 2000, 2000), limits);
    }

    @Test
    void aBurstDefaultsToTwiceItsRate() throws Exception {
        InboundLimitSettings limits = load("""
                adapters:
                  xmpp:
                    type: xmpp
                    domain: localhost
                    username: alice
                    password: x
                    inbound-limit:
                      occupant-per-second: 10
                      room-per-second: 40
                """).inboundLimit();
        assertEquals(20, limits.occupantBurst());
        assertEquals(80, limits.roomBurst());
    }

    @Test
    void theHighestRatesTakeTheHighestBurstByDefault() throws Exception {
        InboundLimitSettings limits = load("""
                adapters:
                  xmpp:
                    type: xmpp
                    domain: localhost
                    username: alice
                    password: x
                    inbound-limit: {occupant-per-second: 1000000, room-per-second: 1000000, queue-size: 1000000}
                """).inboundLimit();
        assertEquals(1_000_000, limits.occupantBurst());
        assertEquals(1_000_000, limits.roomBurst());
    }

    @Test
    void refusesAZeroRateNamingFileLineAndKey() {
        ConfigException e = assertThrows(ConfigException.class, () -> load("""
                adapters:
                  xmpp:
                    type: xmpp
                    domain: localhost
                    username: alice
                    password: x
                    inbound-limit:
                      occupant-per-second: 0
                """));
        assertTrue(e.getMessage().contains("test.yml:") && e.getMessage().contains("inbound-limit.occupant-per-second must be between 1"),
                e.getMessage());
    }

    @Test
    void refusesARoomRateBelowTheOccupantRate() {
        ConfigException e = assertThrows(ConfigException.class, () -> load("""
                adapters:
                  xmpp:
                    type: xmpp
                    domain: localhost
                    username: alice
                    password: x
                    inbound-limit: {occupant-per-second: 50, room-per-second: 10}
                """));
        assertTrue(e.getMessage().contains("test.yml:") && e.getMessage().contains("must not be below"), e.getMessage());
    }

    @Test
    void refusesAnUnknownKey() {
        ConfigException e = assertThrows(ConfigException.class, () -> load("""
                adapters:
                  xmpp:
                    type: xmpp
                    domain: localhost
                    username: alice
                    password: x
                    inbound-limit: {per-second: 50}
                """));
        assertTrue(e.getMessage().contains("test.yml:") && e.getMessage().contains("per-second"), e.getMessage());
    }

    private static XmppSettings load(String yaml) throws ConfigException {
        BridgeConfig config = new ConfigLoader(List.of(new XmppAdapterFactory()), Map.<String, String>of()::get).parse(yaml, "test.yml");
        return (XmppSettings) config.adapters().get("xmpp");
    }
}
