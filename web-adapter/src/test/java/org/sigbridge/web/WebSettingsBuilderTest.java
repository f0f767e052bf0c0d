package org.sigbridge.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.sigbridge.config.ConfigLoader;

/** {@link WebSettings#builder()} gives what the same keys in a file give, and validates the same way. */
class WebSettingsBuilderTest {

    @Test
    void buildsWhatTheSameKeysInAFileGive() throws Exception {
        WebSettings fromFile = (WebSettings) new ConfigLoader(List.of(new WebAdapterFactory()), Map.<String, String>of()::get)
                .parse("""
                        adapters:
                          web: {type: web, host: 127.0.0.2, port: 0, demo: false, idle-timeout: 30s, ping-interval: 10s, io-threads: 2}
                        """, "t.yml").adapters().get("web");
        WebSettings built = WebSettings.builder().listen("127.0.0.2", 0).demo(false)
                .timeouts(Duration.ofSeconds(30), Duration.ofSeconds(10)).threads(null, 2).build();
        assertEquals(fromFile, built);
        assertEquals(8888, WebSettings.defaults().port());
    }

    @Test
    void refusesWhatAFileWouldRefuseInTheSameWords() {
        assertEquals("io-threads must be between 1 and 256, not 0", assertThrows(IllegalArgumentException.class,
                () -> WebSettings.builder().threads(null, 0).build()).getMessage());
        assertEquals("idle-timeout must be above 0s, e.g. 60s", assertThrows(IllegalArgumentException.class,
                () -> WebSettings.builder().timeouts(Duration.ZERO, Duration.ZERO).build()).getMessage());
    }

    @Test
    void thePoolFollowsTheEventLoopsAndMustLeaveThreadsForWork() {
        assertEquals(16, WebSettings.builder().threads(null, 2).build().maxThreads(), "2 loops: 4 x 2 + 8");
        assertEquals(40, WebSettings.builder().threads(null, 8).build().maxThreads());
        assertEquals(64, WebSettings.builder().threads(64, 2).build().maxThreads(), "an explicit max-threads is kept");
        assertEquals(12, WebSettings.builder().threads(12, 8).build().maxThreads(), "8 loops + 4 is enough");
        assertEquals("max-threads (11) must be at least io-threads (8) + 4: the pool lends one thread to each event loop and"
                        + " acceptor; raise max-threads or lower io-threads",
                assertThrows(IllegalArgumentException.class, () -> WebSettings.builder().threads(11, 8).build()).getMessage());
    }
}
