package org.sigbridge.sip.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.sigbridge.envelope.Envelope;
import org.sigbridge.envelope.EnvelopeJson;
import org.sigbridge.envelope.JsonValue;
import org.sigbridge.envelope.Origin;
import org.sigbridge.spi.DeliveryFailure;
import org.sigbridge.spi.ErrorCode;
import org.sigbridge.spi.Participant;
import org.sigbridge.spi.PresenceEvent;
import org.sigbridge.spi.PublishResult;
import org.sigbridge.testkit.junit.KamailioExtension;
import org.sigbridge.testing.Envelopes;
import org.sigbridge.testing.RecordingEndpoint;
import org.sigbridge.testkit.sip.ReceivedSipMessage;
import org.sigbridge.testkit.sip.SipTransport;
import org.sigbridge.testkit.sip.SipUserAgent;

/**
 * Addressed delivery over SIP through a real Kamailio: an addressed envelope goes as a MESSAGE to the one
 * member it names (the other member gets nothing), a MESSAGE whose JSON body names {@code "to"} reaches one
 * browser only, and recipients that are nowhere are reported by envelope id (or answered 404).
 */
class SipAddressedThroughKamailioTest {

    private static final Duration WAIT = Duration.ofSeconds(10);
    private static final Duration QUIET = Duration.ofMillis(800);

    @RegisterExtension
    final KamailioExtension kamailio = new KamailioExtension();

    private final KamailioBridges bridges = new KamailioBridges(kamailio, WAIT);

    private BridgeUnderTest bridge;
    private SipUserAgent alice;
    private SipUserAgent bob;

    @BeforeEach
    void start() throws Exception {
        bridge = bridges.startWithoutTarget("bridge", "register-expires: 60s", "request-timeout: 2s");
        alice = SipUserAgent.start("alice", kamailio.server().port());
        bob = SipUserAgent.start("bob", kamailio.server().port());
    }

    @AfterEach
    void stop() {
        for (AutoCloseable c : new AutoCloseable[] {alice, bob, bridge}) {
            try {
                if (c != null) {
                    c.close();
                }
            } catch (Exception e) {
                throw new AssertionError(e);
            }
        }
    }

    @Test
    void sendsAnAddressedEnvelopeToOneMemberOnlyAndItsAddressedReplyReachesOneBrowser() throws Exception {
        RecordingEndpoint browser = bridge.registeredBrowser("duo", WAIT);
        RecordingEndpoint other = bridge.browser("browser-2", "duo");
        Participant aliceMember = joinAsMember(alice, browser, "duo");
        Participant bobMember = joinAsMember(bob, browser, "duo");
        assertEquals("alice", aliceMember.name(), "a member's name is its display name or user part");
        assertTrue(bridge.hub().participants("duo").containsAll(List.of(aliceMember, bobMember)), bridge.hub().participants("duo").toString());
        browser.envelopes().drain();
        other.envelopes().drain();

        Envelope offer = addressed("duo", browser, "{\"type\":\"offer\"}", aliceMember.id());
        assertInstanceOf(PublishResult.Published.class, bridge.hub().publish(offer, browser));

        ReceivedSipMessage got = alice.awaitMessage(WAIT);
        assertEquals(EnvelopeJson.write(offer, true), got.body());
        assertTrue(got.body().contains("\"to\":\"" + aliceMember.id() + "\""), got.body());
        assertNull(bob.received().poll(QUIET.toMillis(), TimeUnit.MILLISECONDS), "bob must not get alice's MESSAGE");

        String reply = "{\"id\":\"reply-1\",\"sender\":\"alice\",\"channel\":\"duo\",\"to\":\"browser-1\",\"message\":{\"type\":\"answer\"}}";
        assertEquals(200, alice.sendMessage("duo", "application/json", reply, SipTransport.UDP, WAIT));
        Envelope in = browser.envelopes().next(WAIT);
        assertEquals("reply-1", in.id());
        assertEquals("browser-1", in.recipient());
        assertEquals("{\"type\":\"answer\"}", in.message().json());
        other.envelopes().expectNothing(QUIET);
        assertEquals(List.of(), browser.failures().drain());
    }

    @Test
    void reportsAnAddressedEnvelopeToNoMemberByEnvelopeId() throws Exception {
        RecordingEndpoint browser = bridge.registeredBrowser("solo", WAIT);
        joinAsMember(alice, browser, "solo");

        Envelope toGhost = addressed("solo", browser, "1", "sip:ghost@127.0.0.1:5999");
        bridge.hub().publish(toGhost, browser);

        DeliveryFailure failure = browser.failures().next(WAIT);
        assertEquals(toGhost.id(), failure.envelopeId());
        assertEquals(ErrorCode.NO_SUCH_RECIPIENT, failure.code());
        assertNull(alice.received().poll(QUIET.toMillis(), TimeUnit.MILLISECONDS));
    }

    @Test
    void answers404ToAMessageAddressedToNobodyHere() throws Exception {
        RecordingEndpoint browser = bridge.registeredBrowser("solo2", WAIT);
        String body = "{\"id\":\"ghost-1\",\"sender\":\"alice\",\"channel\":\"solo2\",\"to\":\"ghost\",\"message\":1}";

        assertEquals(404, alice.sendMessage("solo2", "application/json", body, SipTransport.UDP, WAIT));

        browser.envelopes().expectNothing(QUIET);
    }

    /** The UA registers and writes to the channel, which makes it a member; returns the participant the browser saw join. */
    private static Participant joinAsMember(SipUserAgent ua, RecordingEndpoint browser, String channel) {
        assertEquals(200, ua.register(SipTransport.UDP, WAIT));
        assertEquals(200, ua.sendMessage(channel, "text/plain", "hello from " + ua.user(), SipTransport.UDP, WAIT));
        while (true) {
            PresenceEvent e = browser.presence().next(WAIT);
            if (e.kind() == PresenceEvent.Kind.JOINED && e.participant().adapter().equals("sip") && e.participant().name().equals(ua.user())) {
                return e.participant();
            }
        }
    }

    private static Envelope addressed(String channel, RecordingEndpoint from, String json, String to) {
        return new Envelope("env-" + System.nanoTime(), channel, JsonValue.string(from.id()), Envelopes.json(json),
                new Origin("web", from.id()), Instant.now(), to);
    }
}
