package org.sigbridge.sip.it;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.sigbridge.SigBridge;
import org.sigbridge.config.BridgeConfig;
import org.sigbridge.config.ConfigLoader;
import org.sigbridge.envelope.Envelope;
import org.sigbridge.hub.Hub;
import org.sigbridge.sip.SipAdapter;
import org.sigbridge.spi.LegState;
import org.sigbridge.spi.PublishResult;
import org.sigbridge.spi.SubscribeResult;
import org.sigbridge.testing.Envelopes;
import org.sigbridge.testing.RecordingEndpoint;

import static org.junit.jupiter.api.Assertions.assertInstanceOf;

/**
 * A real bridge built from YAML through {@link ConfigLoader} (the SIP adapter found by ServiceLoader), with
 * recording browser endpoints on its hub and a record of the SIP leg's states. One per test.
 */
final class BridgeUnderTest implements AutoCloseable {

    private final SigBridge bridge;
    private final LinkedBlockingQueue<LegState> legStates = new LinkedBlockingQueue<>();

    private BridgeUnderTest(SigBridge bridge) {
        this.bridge = bridge;
    }

    static BridgeUnderTest start(String yaml, Map<String, String> env) throws Exception {
        return start(new ConfigLoader(ConfigLoader.installedFactories(), env::get).parse(yaml, "test.yml"));
    }

    static BridgeUnderTest start(BridgeConfig config) throws Exception {
        SigBridge bridge = SigBridge.create(config);
        BridgeUnderTest b = new BridgeUnderTest(bridge);
        bridge.ops().onLegState(b.legStates::add);
        bridge.start();
        return b;
    }

    Hub hub() {
        return bridge.hub();
    }

    SipAdapter sip() {
        return (SipAdapter) bridge.adapter("sip").orElseThrow();
    }

    /** The port of the ops module's own server ({@code bridge.ops} in the YAML); -1 without one. */
    int opsPort() {
        return bridge.opsPort();
    }

    List<String> describe() {
        return bridge.describe();
    }

    /** A browser subscribed to the channels. */
    RecordingEndpoint browser(String id, String... channels) {
        RecordingEndpoint e = new RecordingEndpoint(id);
        for (String c : channels) {
            assertInstanceOf(SubscribeResult.Subscribed.class, hub().subscribe(e, c));
        }
        return e;
    }

    /** Waits until channel {@code channel}'s AOR is registered at the registrar; fails after {@code timeout}. */
    void awaitChannelRegistered(String channel, Duration timeout) throws Exception {
        sip().channelRegistered(channel).orElseThrow().toCompletableFuture().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** A browser {@code browser-1} subscribed to {@code channel}, returned once the channel's AOR is registered. */
    RecordingEndpoint registeredBrowser(String channel, Duration timeout) throws Exception {
        RecordingEndpoint b = browser("browser-1", channel);
        awaitChannelRegistered(channel, timeout);
        return b;
    }

    /** Publishes {@code messageJson} on a channel as browser {@code from}; returns the envelope. */
    Envelope publish(RecordingEndpoint from, String channel, String messageJson) {
        Envelope e = Envelopes.envelope(channel, from.id(), messageJson);
        assertInstanceOf(PublishResult.Published.class, hub().publish(e, from));
        return e;
    }

    /** Waits for the SIP leg to report {@code status}; fails after {@code timeout}. */
    LegState awaitLeg(LegState.Status status, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        List<LegState> seen = new ArrayList<>();
        while (true) {
            long left = deadline - System.nanoTime();
            LegState s = left <= 0 ? null : legStates.poll(left, TimeUnit.NANOSECONDS);
            if (s == null) {
                throw new AssertionError("SIP leg never reported " + status + " within " + timeout + "; saw " + seen);
            }
            seen.add(s);
            if (s.adapter().equals("sip") && s.status() == status) {
                return s;
            }
        }
    }

    @Override
    public void close() {
        bridge.close();
    }
}
