package org.sigbridge.dist.e2e;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.sigbridge.SigBridge;
import org.sigbridge.config.ConfigLoader;
import org.sigbridge.sip.SipAdapter;
import org.sigbridge.spi.LegState;
import org.sigbridge.web.WebAdapter;

/**
 * A whole sigbridge in this JVM, built from YAML by {@link ConfigLoader} with every installed adapter (found
 * by ServiceLoader, as the launcher finds them) and {@code ${ENV}} read from a map. Its web adapter listens
 * on a free port ({@code port: 0}). One per test or per bridge role; {@link #close()} stops it.
 */
final class RunningBridge implements AutoCloseable {

    private final SigBridge bridge;
    private final LinkedBlockingQueue<LegState> legStates = new LinkedBlockingQueue<>();

    private RunningBridge(SigBridge bridge) {
        this.bridge = bridge;
    }

    static RunningBridge start(String yaml, Map<String, String> env) throws Exception {
        SigBridge bridge = SigBridge.create(new ConfigLoader(ConfigLoader.installedFactories(), env::get).parse(yaml, "e2e.yml"));
        RunningBridge running = new RunningBridge(bridge);
        bridge.ops().onLegState(running.legStates::add);
        bridge.start();
        return running;
    }

    int webPort() {
        return ((WebAdapter) bridge.adapter("web").orElseThrow()).port();
    }

    String http(String pathAndQuery) {
        return "http://127.0.0.1:" + webPort() + pathAndQuery;
    }

    SipAdapter sip() {
        return (SipAdapter) bridge.adapter("sip").orElseThrow();
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
        LegState current = bridge.ops().legStates().get(adapter);
        if (current != null && test.test(current)) {
            legStates.clear();
            return current;
        }
        long deadline = System.nanoTime() + timeout.toNanos();
        List<LegState> seen = new ArrayList<>();
        while (true) {
            LegState s = legStates.poll(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
            if (s == null) {
                throw new AssertionError("leg " + adapter + " never " + what + " within " + timeout + "; saw " + seen
                        + ", now " + bridge.ops().legStates().get(adapter));
            }
            seen.add(s);
            if (s.adapter().equals(adapter) && test.test(s)) {
                return s;
            }
        }
    }

    LegState awaitLeg(String adapter, LegState.Status status, Duration timeout) throws InterruptedException {
        return awaitLeg(adapter, s -> s.status() == status, "reported " + status, timeout);
    }

    /** Waits until the xmpp leg is READY with exactly {@code rooms} rooms joined and none joining or failing. */
    LegState awaitRoomsJoined(int rooms, Duration timeout) throws InterruptedException {
        String tail = "rooms: " + rooms + " joined, 0 joining, 0 failing";
        return awaitLeg("xmpp", s -> s.status() == LegState.Status.READY && s.detail().endsWith(tail), "READY with " + tail, timeout);
    }

    SigBridge bridge() {
        return bridge;
    }

    @Override
    public void close() {
        bridge.close();
    }
}
