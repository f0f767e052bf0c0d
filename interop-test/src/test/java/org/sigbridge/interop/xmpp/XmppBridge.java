package org.sigbridge.interop.xmpp;

import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;
import org.sigbridge.envelope.Envelope;
import org.sigbridge.envelope.JsonValue;
import org.sigbridge.envelope.Origin;
import org.sigbridge.hub.Hub;
import org.sigbridge.spi.LegState;
import org.sigbridge.spi.Participant;
import org.sigbridge.spi.PresenceEvent;
import org.sigbridge.spi.SubscribeResult;
import org.sigbridge.testing.Envelopes;
import org.sigbridge.testing.RecordingEndpoint;
import org.sigbridge.testkit.bridge.BridgeUnderTest;
import org.sigbridge.testkit.peers.XmppServer;
import org.sigbridge.xmpp.XmppAdapterFactory;

/**
 * A bridge with the xmpp adapter alone, logged in as {@code alice} and routing every channel to a room on the
 * MUC service of any loopback {@link XmppServer} (ejabberd here; the xmpp-adapter module's own helper is bound
 * to Prosody), plus recording browsers whose rooms are joined before they are handed out.
 *
 * <p>Owned by the test thread; {@link #close()} stops the bridge.
 */
final class XmppBridge implements AutoCloseable {

    static final Duration WAIT = Duration.ofSeconds(10);

    private final BridgeUnderTest under;
    private final Set<String> rooms = new HashSet<>();

    private XmppBridge(BridgeUnderTest under) {
        this.under = under;
    }

    /** Routes every channel to {@code {channel}@<muc>}; {@code extra} adds keys (one per line) to the xmpp section. */
    static XmppBridge start(XmppServer server, String name, String extra) throws Exception {
        String yaml = """
                bridge:
                  name: %s
                  shutdown-grace: 2s
                adapters:
                  xmpp:
                    type: xmpp
                    host: 127.0.0.1
                    port: %d
                    domain: %s
                    username: alice
                    password: ${XMPP_PASSWORD}
                    muc-service: %s
                    reconnect-backoff-base: 100ms
                    reconnect-backoff-cap: 1s
                    room-grace: 1s
                %s
                routes:
                  - match: "*"
                    to: xmpp
                    target: "{channel}@%s"
                """.formatted(name, server.port(), server.domain(), server.mucService(),
                (extra.contains("tls:") ? extra : "tls: disabled\n" + extra).indent(4), server.mucService());
        return new XmppBridge(BridgeUnderTest.fromYaml(yaml, Map.of("XMPP_PASSWORD", server.password()),
                List.of(new XmppAdapterFactory())));
    }

    Hub hub() {
        return under.hub();
    }

    /** Subscribes a recording browser and waits until the leg says every room it opened so far is joined. */
    RecordingEndpoint browser(String id, String channel) {
        RecordingEndpoint endpoint = new RecordingEndpoint(id);
        if (!(hub().subscribe(endpoint, channel) instanceof SubscribeResult.Subscribed)) {
            throw new AssertionError("subscribe of " + id + " to " + channel + " refused");
        }
        rooms.add(channel.toLowerCase(Locale.ROOT));
        String want = "rooms: " + rooms.size() + " joined, 0 joining, 0 failing";
        awaitLeg(s -> s.status() == LegState.Status.READY && s.detail().endsWith(want), "READY with " + want);
        return endpoint;
    }

    /** Waits for an xmpp leg state report that satisfies {@code condition} (or finds it the latest report). */
    LegState awaitLeg(Predicate<LegState> condition, String what) {
        try {
            return under.awaitLeg("xmpp", condition, "reached " + what, WAIT);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    /** Waits for the next xmpp leg report, in report order, that satisfies {@code condition} (transient states too). */
    LegState awaitReport(Predicate<LegState> condition, String what) {
        try {
            return under.awaitReport("xmpp", condition, "reported " + what, WAIT);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    /** The current value of {@code sigbridge_xmpp_<name>_total} of this bridge. */
    long counter(String name) {
        return (long) under.sample("sigbridge_xmpp_" + name + "_total{adapter=\"xmpp\"}");
    }

    /** Waits (asking every 20 ms) until {@code sigbridge_xmpp_<name>_total} of this bridge reaches {@code atLeast}. */
    void awaitCounter(String name, long atLeast) throws Exception {
        under.awaitSample("sigbridge_xmpp_" + name + "_total{adapter=\"xmpp\"}", atLeast, WAIT);
    }

    /** A broadcast envelope from a browser. */
    Envelope envelope(String channel, String sender, String json, String fromEndpoint) {
        return new Envelope(hub().envelopeIds().next(), channel, JsonValue.string(sender), Envelopes.json(json),
                new Origin("web", fromEndpoint), Instant.now());
    }

    /** An envelope from a browser addressed to one participant. */
    Envelope addressed(String channel, String sender, String json, String fromEndpoint, String to) {
        return new Envelope(hub().envelopeIds().next(), channel, JsonValue.string(sender), Envelopes.json(json),
                new Origin("web", fromEndpoint), Instant.now(), to);
    }

    /** Waits for the browser to hear an xmpp participant join that satisfies {@code which}. */
    static Participant awaitJoined(RecordingEndpoint browser, Predicate<Participant> which) {
        while (true) {
            PresenceEvent e = browser.presence().next(WAIT);
            if (e.kind() == PresenceEvent.Kind.JOINED && e.participant().adapter().equals("xmpp")
                    && which.test(e.participant())) {
                return e.participant();
            }
        }
    }

    /** Waits for the browser to hear an xmpp participant of {@code kind}. */
    static PresenceEvent awaitPresence(RecordingEndpoint browser, PresenceEvent.Kind kind) {
        while (true) {
            PresenceEvent e = browser.presence().next(WAIT);
            if (e.kind() == kind && e.participant().adapter().equals("xmpp")) {
                return e;
            }
        }
    }

    @Override
    public void close() {
        under.close();
    }
}
