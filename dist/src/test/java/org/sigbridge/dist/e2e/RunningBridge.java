package org.sigbridge.dist.e2e;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.sigbridge.SigBridge;
import org.sigbridge.sip.SipAdapter;
import org.sigbridge.spi.LegState;
import org.sigbridge.testkit.bridge.BridgeUnderTest;
import org.sigbridge.web.WebAdapter;

/**
 * testkit's bridge under test with every installed adapter (found by ServiceLoader, as the launcher finds them),
 * fronted by a web adapter on a free port ({@code port: 0}), and what the end-to-end tests ask of it: the web
 * port, SIP channel registrations, and the xmpp leg's room counts. One per test or per bridge role;
 * {@link #close()} stops it.
 */
final class RunningBridge implements AutoCloseable {

    private final BridgeUnderTest under;

    private RunningBridge(BridgeUnderTest under) {
        this.under = under;
    }

    static RunningBridge start(String yaml, Map<String, String> env) throws Exception {
        return new RunningBridge(BridgeUnderTest.fromYaml(yaml, env));
    }

    /**
     * The head of a bridge's YAML: bridge {@code name}, a 1 s shutdown grace, and a web adapter on a free port with
     * the demo page off plus {@code webExtra}'s lines; the caller appends its other adapters (indented by 2) and
     * its routes.
     */
    static String webFrontedYaml(String name, String webExtra) {
        return """
                bridge:
                  name: %s
                  shutdown-grace: 1s
                adapters:
                  web:
                    type: web
                    port: 0
                    demo: false
                %s""".formatted(name, webExtra.indent(4));
    }

    int webPort() {
        return under.adapter("web", WebAdapter.class).port();
    }

    String http(String pathAndQuery) {
        return "http://127.0.0.1:" + webPort() + pathAndQuery;
    }

    SipAdapter sip() {
        return under.adapter("sip", SipAdapter.class);
    }

    /** Waits until channel {@code channel}'s AOR is registered at the registrar (sip adapter). */
    void awaitChannelRegistered(String channel, Duration timeout) throws Exception {
        sip().channelRegistered(channel).orElseThrow(() -> new AssertionError("channel " + channel + " is not open on sip"))
                .toCompletableFuture().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    /**
     * Waits for a state of leg {@code adapter} that satisfies {@code test}: the current one, or a later report.
     * Reports older than the last call are dropped, so a caller can wait for DOWN, then READY.
     */
    LegState awaitLeg(String adapter, Predicate<LegState> test, String what, Duration timeout) throws InterruptedException {
        return under.awaitLeg(adapter, test, what, timeout);
    }

    LegState awaitLeg(String adapter, LegState.Status status, Duration timeout) throws InterruptedException {
        return under.awaitLeg(adapter, status, timeout);
    }

    /** Waits until the xmpp leg is READY with exactly {@code rooms} rooms joined and none joining or failing. */
    LegState awaitRoomsJoined(int rooms, Duration timeout) throws InterruptedException {
        String tail = "rooms: " + rooms + " joined, 0 joining, 0 failing";
        return awaitLeg("xmpp", s -> s.status() == LegState.Status.READY && s.detail().endsWith(tail), "READY with " + tail, timeout);
    }

    SigBridge bridge() {
        return under.bridge();
    }

    @Override
    public void close() {
        under.close();
    }
}
