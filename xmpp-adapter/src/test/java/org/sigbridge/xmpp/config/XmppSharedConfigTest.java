package org.sigbridge.xmpp.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.sigbridge.config.ConfigException;
import org.sigbridge.config.ConfigLoader;
import org.sigbridge.config.Secret;
import org.sigbridge.config.TrustSettings;
import org.sigbridge.xmpp.XmppAdapterFactory;

/** The shared config shapes in the XMPP section: trust, optional secrets, the builder for code. */
class XmppSharedConfigTest {

    private static XmppSettings load(String yaml) throws ConfigException {
        return (XmppSettings) new ConfigLoader(List.of(new XmppAdapterFactory()), Map.<String, String>of()::get)
                .parse(yaml, "test.yml").adapters().get("xmpp");
    }

    @Test
    void theFlatTrustKeysComeTogetherAsTrustSettings() throws Exception {
        XmppSettings s = load("""
                adapters:
                  xmpp: {type: xmpp, domain: localhost, anonymous: true, trust-store: /etc/t.jks, trust-store-type: jks,
                         trust-store-password: pw, trust-certificates: /etc/ca.pem}
                """);
        assertEquals(new TrustSettings("/etc/ca.pem", "/etc/t.jks", Secret.of("pw"), "JKS"), s.trust());
        assertFalse(load("adapters: {xmpp: {type: xmpp, domain: localhost, anonymous: true}}").trust().configured());
    }

    @Test
    void emptyPasswordsAreNotSet() throws Exception {
        XmppSettings s = load("""
                adapters:
                  xmpp: {type: xmpp, domain: localhost, anonymous: true, password: "${XMPP_PASSWORD:-}", trust-store-password: "${T:-}"}
                """);
        assertNull(s.password());
        assertNull(s.trust().storePassword());
        ConfigException e = assertThrows(ConfigException.class, () -> load("""
                adapters:
                  xmpp: {type: xmpp, domain: localhost, username: alice, password: "${XMPP_PASSWORD:-}"}
                """));
        assertTrue(e.getMessage().contains("username and password are required unless anonymous"), e.getMessage());
    }

    @Test
    void aTrustStorePasswordWithoutAStoreIsRefusedWithTheFix() {
        ConfigException e = assertThrows(ConfigException.class, () -> load("""
                adapters:
                  xmpp: {type: xmpp, domain: localhost, anonymous: true, trust-store-password: pw}
                """));
        assertEquals("trust-store-password is set but trust-store is not; add trust-store: path/to/store.p12", e.problem());
    }

    @Test
    void theBuilderGivesWhatTheSameKeysInAFileGive() throws Exception {
        XmppSettings fromFile = load("""
                adapters:
                  xmpp: {type: xmpp, host: 127.0.0.1, port: 5333, domain: localhost, username: alice, password: x,
                         reconnect-backoff-base: 200ms, muc-service: conference.localhost}
                """);
        XmppSettings built = XmppSettings.builder("localhost").server("127.0.0.1", 5333).account("alice", Secret.of("x"))
                .reconnectBackoff(Duration.ofMillis(200), null).mucService("conference.localhost").build();
        assertEquals(fromFile, built);
        IllegalArgumentException bad = assertThrows(IllegalArgumentException.class,
                () -> XmppSettings.builder("localhost").anonymous(null).pending(0, null).build());
        assertEquals("pending-queue-size must be between 1 and 100000, not 0", bad.getMessage());
    }
}
