package org.sigbridge.xmpp.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.sigbridge.config.BridgeConfig;
import org.sigbridge.config.ConfigException;
import org.sigbridge.config.ConfigLoader;
import org.sigbridge.xmpp.XmppAdapterFactory;

class XmppSettingsTest {

    private static final Map<String, String> ENV = Map.of("XMPP_HOST", "127.0.0.1", "XMPP_PORT", "5333",
            "XMPP_DOMAIN", "localhost", "XMPP_USERNAME", "alice", "XMPP_PASSWORD", "secret", "XMPP_MUC_SERVICE", "conference.localhost",
            "XMPP_TLS", "optional");

    @Test
    void bindsEveryKeyFromKebabCaseYaml() throws Exception {
        XmppSettings s = load("""
                adapters:
                  xmpp:
                    type: xmpp
                    host: ${XMPP_HOST}
                    port: ${XMPP_PORT}
                    domain: ${XMPP_DOMAIN}
                    username: ${XMPP_USERNAME}
                    password: ${XMPP_PASSWORD}
                    anonymous-domain: anon.localhost
                    resource: bridge
                    tls: ${XMPP_TLS}
                    muc-service: ${XMPP_MUC_SERVICE}
                    occupants: per-user
                    per-user-login: anonymous
                    max-user-sessions: 7
                    nick: relay
                    connect-timeout: 3s
                    request-timeout: 2s
                    join-timeout: 4s
                    pending-queue-size: 10
                    pending-max-age: 5s
                    reconnect-backoff-base: 200ms
                    reconnect-backoff-cap: 20s
                    self-ping-interval: 0s
                    room-grace: 1s
                    no-store: false
                    body: omit
                    max-stanza-bytes: 100000
                routes:
                  - match: "*"
                    to: xmpp
                """);
        assertEquals(5333, s.port());
        assertEquals(TlsMode.OPTIONAL, s.tls());
        assertEquals(OccupantMode.PER_USER, s.occupants());
        assertEquals(UserLogin.ANONYMOUS, s.perUserLogin());
        assertEquals(BodyMode.OMIT, s.body());
        assertEquals(Duration.ofMillis(200), s.reconnectBackoffBase());
        assertEquals(Duration.ZERO, s.selfPingInterval());
        assertEquals("secret", s.password().reveal());
        assertEquals(NoStoreMode.NEVER, s.noStore(), "false, as earlier releases wrote it");
    }

    @Test
    void defaultsToStartTlsRequiredSharedOccupantsAndJsonBody() throws Exception {
        XmppSettings s = load("""
                adapters:
                  xmpp: {type: xmpp, domain: localhost, username: alice, password: secret}
                """);
        assertEquals(TlsMode.REQUIRED, s.tls());
        assertEquals(OccupantMode.SHARED, s.occupants());
        assertEquals(BodyMode.JSON, s.body());
        assertEquals(5222, s.port());
        assertEquals(NoStoreMode.ALWAYS, s.noStore(), "the hint on every message unless told otherwise");
        assertEquals(262144, s.maxStanzaBytes());
    }

    @Test
    void readsNoStoreAsAutoAlwaysOrNeverAndTheBooleansOfEarlierReleases() throws Exception {
        Map<String, NoStoreMode> values = Map.of("auto", NoStoreMode.AUTO, "always", NoStoreMode.ALWAYS, "never", NoStoreMode.NEVER,
                "true", NoStoreMode.ALWAYS, "false", NoStoreMode.NEVER, "\"true\"", NoStoreMode.ALWAYS, "Always", NoStoreMode.ALWAYS);
        for (Map.Entry<String, NoStoreMode> value : values.entrySet()) {
            XmppSettings s = load("adapters:\n  xmpp: {type: xmpp, domain: localhost, username: alice, password: x, no-store: "
                    + value.getKey() + "}\n");
            assertEquals(value.getValue(), s.noStore(), value.getKey());
        }
        ConfigException e = assertThrows(ConfigException.class, () -> load("""
                adapters:
                  xmpp:
                    type: xmpp
                    domain: localhost
                    username: alice
                    password: x
                    no-store: sometimes
                """));
        assertTrue(e.getMessage().contains("no-store must be auto, always or never"), e.getMessage());
        assertTrue(e.getMessage().contains(":7:"), "points at the key's line: " + e.getMessage());
    }

    @Test
    void directTlsDefaultsToPort5223AndKeepsAGivenPort() throws Exception {
        XmppSettings byDefault = load("""
                adapters:
                  xmpp: {type: xmpp, domain: localhost, username: alice, password: secret, tls: direct}
                """);
        assertEquals(TlsMode.DIRECT, byDefault.tls());
        assertEquals(5223, byDefault.port(), "XEP-0368's usual direct-TLS port");
        XmppSettings given = load("""
                adapters:
                  xmpp: {type: xmpp, domain: localhost, username: alice, password: secret, tls: direct, port: 443}
                """);
        assertEquals(443, given.port());
    }

    @Test
    void refusesAnAccountWithoutPassword() {
        ConfigException e = assertThrows(ConfigException.class, () -> load("""
                adapters:
                  xmpp: {type: xmpp, domain: localhost, username: alice}
                """));
        assertTrue(e.getMessage().contains("password"), e.getMessage());
    }

    @Test
    void bindsRoomPasswordAsASecretThatAnEmptyValueLeavesUnset() throws Exception {
        XmppSettings set = load("""
                adapters:
                  xmpp: {type: xmpp, domain: localhost, username: alice, password: x, room-password: "${XMPP_PASSWORD}"}
                """);
        assertEquals("secret", set.roomPassword().reveal());
        assertTrue(!set.toString().contains("secret"), "never shown: " + set);
        XmppSettings unset = load("""
                adapters:
                  xmpp: {type: xmpp, domain: localhost, username: alice, password: x, room-password: "${ROOM_PASSWORD:-}"}
                """);
        assertEquals(null, unset.roomPassword());
    }

    @Test
    void refusesARoomPasswordXmlCannotCarryNamingFileAndLine() {
        ConfigException e = assertThrows(ConfigException.class, () -> load("""
                adapters:
                  xmpp:
                    type: xmpp
                    domain: localhost
                    username: alice
                    password: x
                    room-password: "bell\\u0007"
                """));
        assertTrue(e.getMessage().contains("test.yml:") && e.getMessage().contains("room-password"), e.getMessage());
    }

    @Test
    void refusesAnUnknownTlsMode() {
        ConfigException e = assertThrows(ConfigException.class, () -> load("""
                adapters:
                  xmpp: {type: xmpp, domain: localhost, username: alice, password: x, tls: maybe}
                """));
        assertTrue(e.getMessage().contains("required"), e.getMessage());
        assertTrue(e.getMessage().contains("direct"), "the error lists every mode: " + e.getMessage());
    }

    @Test
    void refusesARouteWhoseTargetIsNotARoomTemplate() {
        ConfigException e = assertThrows(ConfigException.class, () -> load("""
                adapters:
                  xmpp: {type: xmpp, domain: localhost, username: alice, password: x}
                routes:
                  - {match: "*", to: xmpp, target: "lobby@conference.localhost"}
                """));
        assertTrue(e.getMessage().contains("{channel}"), e.getMessage());
    }

    @Test
    void refusesAnUnknownBodyOption() {
        ConfigException e = assertThrows(ConfigException.class, () -> load("""
                adapters:
                  xmpp: {type: xmpp, domain: localhost, username: alice, password: x}
                routes:
                  - {match: "*", to: xmpp, target: "{channel}@conference.localhost", options: {body: xml}}
                """));
        assertTrue(e.getMessage().contains("body"), e.getMessage());
    }

    private static XmppSettings load(String yaml) throws ConfigException {
        BridgeConfig config = new ConfigLoader(List.of(new XmppAdapterFactory()), ENV::get).parse(yaml, "test.yml");
        return (XmppSettings) config.adapters().get("xmpp");
    }
}
