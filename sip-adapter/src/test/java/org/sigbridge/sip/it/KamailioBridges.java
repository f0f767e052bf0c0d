package org.sigbridge.sip.it;

import java.time.Duration;
import java.util.Map;
import org.sigbridge.spi.LegState;
import org.sigbridge.testkit.junit.KamailioExtension;
import org.sigbridge.testkit.peers.FreePorts;

/**
 * Bridges whose sip adapter uses one real Kamailio as outbound proxy and registrar (docs/design.md §5), the set-up of
 * the tests where two bridges meet on a channel's AOR (Kamailio forks each MESSAGE to both) or one bridge's
 * registrations are watched: each bridge listens on its own probed port, registers as {@code sip:USER@localhost} and
 * every channel's AOR, and is returned once its leg reported READY. The web modules' counterpart is testkit's
 * {@code BridgedPair}.
 *
 * <p>A field next to the test's {@code @RegisterExtension KamailioExtension}; the Kamailio is read when a bridge
 * starts, so inside the test. Used by the test thread; the caller closes each bridge it starts.
 */
final class KamailioBridges {

    private final KamailioExtension kamailio;
    private final Duration wait;

    /** Bridges through {@code kamailio}'s server, each waited for up to {@code wait} to be READY. */
    KamailioBridges(KamailioExtension kamailio, Duration wait) {
        this.kamailio = kamailio;
        this.wait = wait;
    }

    /**
     * A bridge registered as {@code username} whose every channel goes to {@code sip:{channel}@localhost} (the default
     * route target); {@code sipLines} are further keys of its sip adapter, e.g. {@code "request-timeout: 2s"}.
     */
    BridgeUnderTest start(String username, String... sipLines) throws Exception {
        return start(username, "", sipLines);
    }

    /**
     * As {@link #start}, with {@code target: none} on its route: the bridge registers its channels' AORs but sends to
     * no fixed target (only to the channel's SIP members). A {@code null} username: no AOR of its own, only its
     * channels'.
     */
    BridgeUnderTest startWithoutTarget(String username, String... sipLines) throws Exception {
        return start(username, "\n    target: none", sipLines);
    }

    private BridgeUnderTest start(String username, String routeExtra, String... sipLines) throws Exception {
        StringBuilder extra = new StringBuilder();
        for (String line : sipLines) {
            extra.append("\n    ").append(line);
        }
        String yaml = """
                adapters:
                  sip:
                    type: sip
                    listen-port: ${PORT}
                    domain: localhost
                    proxy: 127.0.0.1:${KPORT}
                    %s%s
                routes:
                  - match: "*"
                    to: sip%s
                """.formatted(username == null ? "register-channels: true" : "username: " + username, extra, routeExtra);
        BridgeUnderTest b = BridgeUnderTest.start(yaml, Map.of("PORT", Integer.toString(FreePorts.tcpAndUdp()),
                "KPORT", Integer.toString(kamailio.server().port())));
        try {
            b.awaitLeg(LegState.Status.READY, wait);
            return b;
        } catch (Exception | Error e) {
            b.close();
            throw e;
        }
    }
}
