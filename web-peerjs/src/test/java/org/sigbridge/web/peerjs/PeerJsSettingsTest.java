package org.sigbridge.web.peerjs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.sigbridge.config.ConfigException;
import org.sigbridge.config.ConfigLoader;
import org.sigbridge.web.PeerJsSettings;
import org.sigbridge.web.WebSettings;

/** The {@code peerjs:} keys as an operator writes them: defaults, spelling, and refusals naming the key. */
class PeerJsSettingsTest {

    @Test
    void defaultsAreTheReferenceServersWithAliveTimeoutNinetySeconds() {
        PeerJsSettings d = WebSettings.defaults().peerjs();
        assertEquals(new PeerJsSettings(true, "/", "peerjs", Duration.ofSeconds(5), Duration.ofSeconds(90), 5000, false, 64), d);
        assertEquals("/myapp/", new PeerJsSettings(null, "/myapp", null, null, null, null, null, null).path());
    }

    @Test
    void theKeysAreReadInKebabCaseUnderTheWebAdapter() throws Exception {
        WebSettings web = (WebSettings) ConfigLoader.withInstalledAdapters().parse(yaml("""
                    peerjs:
                      path: /myapp/
                      key: k1
                      expire-timeout: 2s
                      alive-timeout: 60s
                      concurrent-limit: 10
                      allow-discovery: true
                      queue-messages: 8
                """), "peerjs.yml").adapters().get("web");
        assertEquals(new PeerJsSettings(true, "/myapp/", "k1", Duration.ofSeconds(2), Duration.ofSeconds(60), 10, true, 8), web.peerjs());
    }

    @Test
    void aBadPathOrKeyIsAConfigErrorNamingTheKey() {
        ConfigException path = assertThrows(ConfigException.class,
                () -> ConfigLoader.withInstalledAdapters().parse(yaml("    peerjs: {path: \"/a b/\"}\n"), "bad.yml"));
        assertTrue(path.getMessage().contains("peerjs.path '/a b/' must be / or /name/"), path.getMessage());
        ConfigException key = assertThrows(ConfigException.class,
                () -> ConfigLoader.withInstalledAdapters().parse(yaml("    peerjs: {key: \"a/b\"}\n"), "bad.yml"));
        assertTrue(key.getMessage().contains("peerjs.key 'a/b'"), key.getMessage());
        ConfigException unknown = assertThrows(ConfigException.class,
                () -> ConfigLoader.withInstalledAdapters().parse(yaml("    peerjs: {alive_timeout: 5s}\n"), "bad.yml"));
        assertTrue(unknown.getMessage().contains("unknown key 'alive_timeout'"), unknown.getMessage());
    }

    private static String yaml(String peerjs) {
        return """
                adapters:
                  web:
                    type: web
                """ + peerjs + """
                routes:
                  - match: "*"
                    to: local
                """;
    }
}
