package org.sigbridge.testkit.peers;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The tests' HAProxy backend is the shipped one ({@code dist/haproxy/haproxy.cfg}) but for its servers, its balance in
 * failover mode and the check's interval; {@code BehindHaproxyTest} and the drain tests run it against real instances.
 */
class HaproxyServerTest {

    @Test
    void theBackendIsTheShippedOneWithTheTestsServersAndCheckInterval() throws Exception {
        String shipped = Files.readString(HaproxyServer.shippedConfig());
        String failover = HaproxyServer.backend(HaproxyServer.shippedConfig(), List.of(1001, 1002), true);
        for (String line : List.of("option httpchk GET /readyz", "http-check expect status 200", "option redispatch",
                "cookie SBNODE insert indirect nocache httponly")) {
            assertTrue(shipped.contains("  " + line + "\n"), "the shipped config has " + line);
            assertTrue(failover.contains("  " + line + "\n"), "the tests' backend has " + line + ":\n" + failover);
        }
        assertTrue(failover.contains("  balance first\n"), failover);
        assertTrue(failover.contains("  server s0 127.0.0.1:1001 cookie s0 check " + HaproxyServer.TEST_CHECK + "\n"), failover);
        assertTrue(failover.contains("  server s1 127.0.0.1:1002 cookie s1 check " + HaproxyServer.TEST_CHECK + "\n"), failover);
        assertEquals(2, failover.lines().filter(l -> l.strip().startsWith("server ")).count(), failover);
        assertTrue(HaproxyServer.backend(HaproxyServer.shippedConfig(), List.of(1001), false).contains("  balance roundrobin\n"));
    }
}
