package org.sigbridge.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.sigbridge.config.ConfigLoader;
import org.sigbridge.config.ConfigException;

/** The shipped ops examples bind with only their documented variables set. */
class OpsExampleConfigsTest {

    private static WebSettings web(String file, Map<String, String> env) throws ConfigException {
        return (WebSettings) new ConfigLoader(ConfigLoader.installedFactories(), env::get)
                .load(Path.of("../conf/examples", file)).adapters().get("web");
    }

    @Test
    void verifiedIdentityExampleNeedsOnlyTheSecret() throws Exception {
        WebSettings s = web("verified-identity.yml", Map.of("SIGBRIDGE_TOKEN_SECRET", "f".repeat(64)));
        assertTrue(s.identity().verified());
        assertEquals(Duration.ofHours(12), s.identity().maxTtl());
        assertEquals("******", s.identity().secret().toString());
    }

    @Test
    void adminExampleHasItsOwnPortAndAToken() throws Exception {
        WebSettings s = web("admin.yml", Map.of("SIGBRIDGE_ADMIN_TOKEN", "a".repeat(48)));
        assertEquals(9090, s.admin().port());
        assertTrue(s.admin().token() != null && s.admin().separatePort());
    }

    @Test
    void aShortSecretIsRefusedWithTheFix() {
        ConfigException e = org.junit.jupiter.api.Assertions.assertThrows(ConfigException.class,
                () -> web("verified-identity.yml", Map.of("SIGBRIDGE_TOKEN_SECRET", "short")));
        assertTrue(e.getMessage().contains("identity.secret must be at least 32 characters; make one with: openssl rand -hex 32"), e.getMessage());
    }
}
