package org.sigbridge.sip.it;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.sigbridge.config.BridgeConfig;
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
 * testkit's bridge under test (every installed adapter, the SIP one among them) with what the SIP tests add:
 * recording browser endpoints on its hub, the SIP adapter's channel registrations, and the SIP leg's reports
 * in order. One per test.
 */
final class BridgeUnderTest implements AutoCloseable {

    private final org.sigbridge.testkit.bridge.BridgeUnderTest under;

    private BridgeUnderTest(org.sigbridge.testkit.bridge.BridgeUnderTest under) {
        this.under = under;
    }

    static BridgeUnderTest start(String yaml, Map<String, String> env) throws Exception {
        return new BridgeUnderTest(org.sigbridge.testkit.bridge.BridgeUnderTest.fromYaml(yaml, env));
    }

    static BridgeUnderTest start(BridgeConfig config) throws Exception {
        return new BridgeUnderTest(org.sigbridge.testkit.bridge.BridgeUnderTest.fromConfig(config));
    }

    Hub hub() {
        return under.hub();
    }

    SipAdapter sip() {
        return under.adapter("sip", SipAdapter.class);
    }

    /** The port of the ops module's own server ({@code bridge.ops} in the YAML); -1 without one. */
    int opsPort() {
        return under.opsPort();
    }

    List<String> describe() {
        return under.bridge().describe();
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

    /** Waits for the SIP leg's next report of {@code status} (in report order); fails after {@code timeout}. */
    LegState awaitLeg(LegState.Status status, Duration timeout) throws InterruptedException {
        return under.awaitReport("sip", s -> s.status() == status, "reported " + status, timeout);
    }

    @Override
    public void close() {
        under.close();
    }
}
