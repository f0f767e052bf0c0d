package org.sigbridge.web.signalr;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.sigbridge.config.ConfigException;
import org.sigbridge.config.ConfigLoader;
import org.sigbridge.web.SignalRSettings;
import org.sigbridge.web.WebSettings;

/** The {@code signalr:} keys as an operator writes them: defaults, spelling, and refusals naming the key and line. */
class SignalRSettingsTest {

    @Test
    void defaultsAreTheAspNetCoreServersWithHubsUnderSlashHubs() {
        SignalRSettings d = WebSettings.defaults().signalr();
        assertEquals(new SignalRSettings(true, "/hubs/", "signalr/{hub}", "all", Duration.ofSeconds(15), Duration.ofSeconds(30),
                Duration.ofSeconds(15), 32 * 1024, true, "/signalr", "channel"), d);
        assertTrue(d.echo());
        assertFalse(d.routeByHub(), "routed by the channel inside {message, channel} unless route-by: hub");
        assertEquals("signalr/webRtcHub3", d.channelOf("webRtcHub3"));
        assertTrue(WebSettings.defaults().dialects().contains("signalr"), "installed, so mounted by default");
    }

    @Test
    void theKeysAreReadInKebabCaseUnderTheWebAdapter() throws Exception {
        WebSettings web = (WebSettings) ConfigLoader.withInstalledAdapters().parse(yaml("""
                    signalr:
                      path: /rt
                      channel: "hub-{hub}"
                      clients: others
                      keep-alive-interval: 5s
                      client-timeout: 20s
                      handshake-timeout: 3s
                      max-message-bytes: 65536
                      classic: false
                      classic-path: /sr2/
                      route-by: Hub
                """), "signalr.yml").adapters().get("web");
        assertEquals(new SignalRSettings(true, "/rt/", "hub-{hub}", "others", Duration.ofSeconds(5), Duration.ofSeconds(20),
                Duration.ofSeconds(3), 65536, false, "/sr2", "hub"), web.signalr());
        assertFalse(web.signalr().echo());
        assertTrue(web.signalr().routeByHub());
    }

    @Test
    void badValuesAreConfigErrorsNamingTheKeyAndLine() {
        ConfigException path = assertThrows(ConfigException.class,
                () -> ConfigLoader.withInstalledAdapters().parse(yaml("    signalr: {path: /}\n"), "bad.yml"));
        assertTrue(path.getMessage().contains("signalr.path '/' must be /name/") && path.getMessage().contains("bad.yml:"),
                path.getMessage());
        ConfigException clients = assertThrows(ConfigException.class,
                () -> ConfigLoader.withInstalledAdapters().parse(yaml("    signalr: {clients: caller}\n"), "bad.yml"));
        assertTrue(clients.getMessage().contains("signalr.clients 'caller' must be all"), clients.getMessage());
        ConfigException routeBy = assertThrows(ConfigException.class,
                () -> ConfigLoader.withInstalledAdapters().parse(yaml("    signalr:\n      route-by: room\n"), "bad.yml"));
        assertTrue(routeBy.getMessage().contains("signalr.route-by 'room' must be channel") && routeBy.getMessage().contains("bad.yml:5"),
                routeBy.getMessage());
        ConfigException order = assertThrows(ConfigException.class, () -> ConfigLoader.withInstalledAdapters()
                .parse(yaml("    signalr: {keep-alive-interval: 30s, client-timeout: 30s}\n"), "bad.yml"));
        assertTrue(order.getMessage().contains("must be shorter than signalr.client-timeout"), order.getMessage());
        ConfigException overlap = assertThrows(ConfigException.class, () -> ConfigLoader.withInstalledAdapters()
                .parse(yaml("    signalr: {path: /signalr/hubs/}\n"), "bad.yml"));
        assertTrue(overlap.getMessage().contains("overlap"), overlap.getMessage());
        ConfigException unknown = assertThrows(ConfigException.class,
                () -> ConfigLoader.withInstalledAdapters().parse(yaml("    signalr: {keepalive: 5s}\n"), "bad.yml"));
        assertTrue(unknown.getMessage().contains("unknown key 'keepalive'"), unknown.getMessage());
    }

    private static String yaml(String signalr) {
        return """
                adapters:
                  web:
                    type: web
                """ + signalr + """
                routes:
                  - match: "*"
                    to: local
                """;
    }
}
