package org.sigbridge.sip.session;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.sigbridge.hub.Hub;
import org.sigbridge.routing.RoutingTable;
import org.sigbridge.sip.mapping.SipMember;
import org.sigbridge.spi.PresenceEvent;
import org.sigbridge.testing.RecordingEndpoint;

/** Dynamic members on a real hub: joins, TTL refresh, expiry and the per-channel bound feed presence. */
class MembershipTest {

    /** A clock the test moves by hand. */
    static final class ManualClock extends Clock {
        private Instant now = Instant.parse("2026-01-01T00:00:00Z");

        void advance(Duration d) {
            now = now.plus(d);
        }

        @Override
        public ZoneOffset getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    }

    private final ManualClock clock = new ManualClock();
    private final Hub hub = new Hub("test", RoutingTable.allLocal(), Map.of(), clock);
    private final RecordingEndpoint browser = new RecordingEndpoint("b1");
    private final Membership members = new Membership("sip", Duration.ofSeconds(60), 2, clock, hub);

    @Test
    void aNewMemberJoinsOnceAndLeavesWhenItsTtlRunsOut() {
        hub.subscribe(browser, "room1");
        SipMember alice = new SipMember("sip:alice@h", "alice");
        members.touch("room1", alice);
        members.touch("room1", alice);
        PresenceEvent joined = browser.presence().next();
        assertEquals(PresenceEvent.Kind.JOINED, joined.kind());
        assertEquals("sip:alice@h", joined.participant().id());
        assertTrue(hub.isPresent("room1"));

        clock.advance(Duration.ofSeconds(59));
        members.expire();
        assertEquals(List.of(alice), members.members("room1"));
        clock.advance(Duration.ofSeconds(2));
        members.expire();
        PresenceEvent left = browser.presence().next();
        assertEquals(PresenceEvent.Kind.LEFT, left.kind());
        assertFalse(members.hasMembers("room1"));
    }

    @Test
    void eachMessageRefreshesTheTtl() {
        SipMember alice = new SipMember("sip:alice@h", "alice");
        members.touch("room1", alice);
        clock.advance(Duration.ofSeconds(50));
        members.touch("room1", alice);
        clock.advance(Duration.ofSeconds(50));
        members.expire();
        assertEquals(List.of(alice), members.members("room1"));
    }

    @Test
    void dropsTheLeastRecentlyActiveMemberBeyondTheBound() {
        hub.subscribe(browser, "room1");
        members.touch("room1", new SipMember("sip:a@h", "a"));
        members.touch("room1", new SipMember("sip:b@h", "b"));
        members.touch("room1", new SipMember("sip:a@h", "a"));
        members.touch("room1", new SipMember("sip:c@h", "c"));
        assertEquals(List.of("sip:a@h", "sip:c@h"), members.members("room1").stream().map(SipMember::uri).sorted().toList());
        List<PresenceEvent> events = browser.presence().drain();
        assertTrue(events.stream().anyMatch(e -> e.kind() == PresenceEvent.Kind.LEFT && e.participant().id().equals("sip:b@h")), events.toString());
    }
}
