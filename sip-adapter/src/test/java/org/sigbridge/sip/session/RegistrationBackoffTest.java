package org.sigbridge.sip.session;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.sigbridge.config.ConfigException;
import org.sigbridge.config.ConfigLoader;
import org.sigbridge.sip.SipAdapterFactory;
import org.sigbridge.sip.SipSettings;
import org.sigbridge.support.Backoff;

/**
 * The re-REGISTER schedule after a failure: jittered, so bridges that lost the same registrar spread out,
 * and capped by {@code register-backoff-cap}.
 */
class RegistrationBackoffTest {

    private static SipSettings settings(String extra) throws ConfigException {
        return (SipSettings) new ConfigLoader(List.of(new SipAdapterFactory()), Map.<String, String>of()::get).parse("""
                adapters:
                  sip:
                    type: sip
                    listen-port: 5070
                """ + extra, "t.yml").adapters().get("sip");
    }

    private static List<Long> schedule(SipSettings s, double random, int attempts) {
        Backoff b = Registration.retryBackoff(s, () -> random);
        List<Long> millis = new ArrayList<>();
        for (int i = 0; i < attempts; i++) {
            millis.add(b.next().toMillis());
        }
        return millis;
    }

    @Test
    void doublesFromOneSecondToThirtyByDefaultWithinTheUpperHalfOfEachWindow() throws Exception {
        SipSettings s = settings("");
        assertEquals(Duration.ofSeconds(30), s.registerBackoffCap());
        assertEquals(List.of(1000L, 2000L, 4000L, 8000L, 16000L, 30000L, 30000L), schedule(s, 0.999999, 7));
        assertEquals(List.of(500L, 1000L, 2000L, 4000L, 8000L, 15000L, 15000L), schedule(s, 0.0, 7));
    }

    @Test
    void twoBridgesWithDifferentDrawsRetryAtDifferentTimes() throws Exception {
        SipSettings s = settings("");
        List<Long> a = schedule(s, 0.1, 6);
        List<Long> b = schedule(s, 0.7, 6);
        for (int i = 0; i < a.size(); i++) {
            assertNotEquals(a.get(i), b.get(i), "attempt " + i);
        }
    }

    @Test
    void theCapIsConfigurable() throws Exception {
        SipSettings s = settings("    register-backoff-cap: 5s\n");
        assertEquals(List.of(1000L, 2000L, 4000L, 5000L, 5000L), schedule(s, 0.999999, 5));
        ConfigException e = org.junit.jupiter.api.Assertions.assertThrows(ConfigException.class,
                () -> settings("    register-backoff-cap: 500ms\n"));
        assertTrue(e.getMessage().contains("register-backoff-cap must be between 1s and 1h"), e.getMessage());
    }
}
