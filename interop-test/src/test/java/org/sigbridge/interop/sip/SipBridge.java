package org.sigbridge.interop.sip;

import static org.junit.jupiter.api.Assertions.assertInstanceOf;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.sigbridge.envelope.Envelope;
import org.sigbridge.envelope.JsonValue;
import org.sigbridge.envelope.Origin;
import org.sigbridge.hub.Hub;
import org.sigbridge.sip.SipAdapter;
import org.sigbridge.sip.SipAdapterFactory;
import org.sigbridge.spi.LegState;
import org.sigbridge.spi.PublishResult;
import org.sigbridge.spi.SubscribeResult;
import org.sigbridge.testing.Envelopes;
import org.sigbridge.testing.RecordingEndpoint;
import org.sigbridge.testkit.bridge.BridgeUnderTest;

/**
 * A bridge with the sip adapter alone, from the test's YAML ({@code ${NAME}} read from a map), with recording
 * browsers on its hub. Owned by the test thread; {@link #close()} stops the bridge.
 */
final class SipBridge implements AutoCloseable {

    /**
     * How long a step may take. Generous: baresip reads its commands from a pipe one character at a time, which on a
     * loaded two-core machine once took most of 10 s before the command ran.
     */
    static final Duration WAIT = Duration.ofSeconds(30);

    private final BridgeUnderTest under;

    private SipBridge(BridgeUnderTest under) {
        this.under = under;
    }

    /** Starts the bridge and waits until its sip leg is READY (registered, when it registers). */
    static SipBridge start(String yaml, Map<String, String> env) throws Exception {
        SipBridge bridge = new SipBridge(BridgeUnderTest.fromYaml(yaml, env, List.of(new SipAdapterFactory())));
        try {
            bridge.under.awaitLeg("sip", LegState.Status.READY, WAIT);
            return bridge;
        } catch (Exception | Error e) {
            bridge.close();
            throw e;
        }
    }

    /** Waits for the sip leg's next state that satisfies {@code test} (or its current one); see BridgeUnderTest#awaitLeg. */
    LegState awaitLeg(java.util.function.Predicate<LegState> test, String what) throws InterruptedException {
        return under.awaitLeg("sip", test, what, WAIT);
    }

    Hub hub() {
        return under.hub();
    }

    SipAdapter sip() {
        return under.adapter("sip", SipAdapter.class);
    }

    /** A browser subscribed to {@code channel}; with a registrar, returned once the channel's AOR is registered. */
    RecordingEndpoint browser(String id, String channel) throws Exception {
        RecordingEndpoint browser = new RecordingEndpoint(id);
        assertInstanceOf(SubscribeResult.Subscribed.class, hub().subscribe(browser, channel));
        var registered = sip().channelRegistered(channel);
        if (registered.isPresent()) {
            registered.get().toCompletableFuture().get(WAIT.toMillis(), TimeUnit.MILLISECONDS);
        }
        return browser;
    }

    /** Publishes {@code json} on {@code channel} as {@code browser}; returns the envelope. */
    Envelope publish(RecordingEndpoint browser, String channel, String json) {
        Envelope e = new Envelope(hub().envelopeIds().next(), channel, JsonValue.string(browser.id()), Envelopes.json(json),
                new Origin("web", browser.id()), Instant.now());
        assertInstanceOf(PublishResult.Published.class, hub().publish(e, browser));
        return e;
    }

    @Override
    public void close() {
        under.close();
    }
}
