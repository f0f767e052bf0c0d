package org.sigbridge.sip.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.sigbridge.testkit.junit.KamailioExtension;
import org.sigbridge.testing.RecordingEndpoint;
import org.sigbridge.testkit.sip.SipTransport;
import org.sigbridge.testkit.sip.SipUserAgent;

/** The bridge's registrations at a real Kamailio: refreshed before they expire, removed on shutdown. */
class SipRegistrationLifecycleTest {

    private static final Duration WAIT = Duration.ofSeconds(10);

    @RegisterExtension
    final KamailioExtension kamailio = new KamailioExtension();

    private final KamailioBridges bridges = new KamailioBridges(kamailio, WAIT);

    @Test
    void refreshesItsRegistrationsBeforeTheyExpire() throws Exception {
        // 2 s, not 1 s: Kamailio keeps expiry in whole seconds, so a 1 s binding is void for part of each second.
        try (BridgeUnderTest bridge = bridges.startWithoutTarget("bridge", "register-expires: 2s");
             SipUserAgent alice = SipUserAgent.start("alice", kamailio.server().port())) {
            RecordingEndpoint browser = bridge.browser("b1", "room1");
            bridge.awaitChannelRegistered("room1", WAIT);
            // Two and a half lifetimes pass: without refreshes Kamailio would have dropped the 2 s binding.
            browser.envelopes().expectNothing(Duration.ofSeconds(5));
            assertEquals(200, alice.sendMessage("room1", "still here?", SipTransport.UDP, WAIT));
            assertEquals("\"still here?\"", browser.envelopes().next(WAIT).message().json());
            assertTrue(bridge.sip().stats().registrations().sum() >= 6, "registrations (2 AORs, refreshed every second): " + bridge.sip().stats().registrations().sum());
        }
    }

    @Test
    void removesItsRegistrationsOnShutdown() throws Exception {
        try (SipUserAgent alice = SipUserAgent.start("alice", kamailio.server().port())) {
            BridgeUnderTest bridge = bridges.startWithoutTarget("bridge", "register-expires: 10m");
            bridge.browser("b1", "room1");
            bridge.awaitChannelRegistered("room1", WAIT);
            // While registered, Kamailio relays to the bridge (which answers 404: nobody is on channel "bridge").
            assertEquals(404, alice.sendMessage("bridge", "hello bridge", SipTransport.UDP, WAIT));
            assertEquals(200, alice.sendMessage("room1", "hello room", SipTransport.UDP, WAIT));
            bridge.close();
            assertEquals(404, alice.sendMessage("room1", "anyone?", SipTransport.UDP, WAIT));
            assertEquals(404, alice.sendMessage("bridge", "anyone?", SipTransport.UDP, WAIT));
        }
    }

    /**
     * A bridge with no AOR of its own (no {@code username}) registers its channels' AORs only; on shutdown those are
     * removed too, before its worker stops (they were queued behind nothing to wait for, and dropped): Kamailio answers
     * 404 at once instead of relaying to a bridge that is gone (a 408 after its {@code fr_timer}).
     */
    @Test
    void removesItsChannelRegistrationsOnShutdownWithoutAnAorOfItsOwn() throws Exception {
        try (SipUserAgent alice = SipUserAgent.start("alice", kamailio.server().port())) {
            BridgeUnderTest bridge = bridges.startWithoutTarget(null, "register-expires: 10m");
            try {
                bridge.browser("b1", "room1");
                bridge.browser("b2", "room2");
                bridge.awaitChannelRegistered("room1", WAIT);
                bridge.awaitChannelRegistered("room2", WAIT);
                assertEquals(200, alice.sendMessage("room1", "hello room", SipTransport.UDP, WAIT));
            } finally {
                bridge.close();
            }
            assertEquals(404, alice.sendMessage("room1", "anyone?", SipTransport.UDP, WAIT));
            assertEquals(404, alice.sendMessage("room2", "anyone?", SipTransport.UDP, WAIT));
        }
    }
}
