package org.sigbridge.xmpp.room;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.sigbridge.xmpp.config.InboundLimitSettings;

/** The per-room inbound limit state (conf/reference/xmpp.md "Inbound limit"), on a clock the test moves. */
class InboundRateTest {

    private final AtomicLong now = new AtomicLong(1_000_000_000L);
    private final InboundRate rate = new InboundRate(new InboundLimitSettings(2, 3, 4, 5, null), now::get);

    @Test
    void anOccupantBeyondItsBurstIsRefusedForItsOwnRateAndGetsTokensBackOverTime() {
        for (int i = 0; i < 3; i++) {
            assertNull(rate.admit("bob"));
        }
        assertEquals(InboundRate.Reason.OCCUPANT_RATE, rate.admit("bob"));
        now.addAndGet(500_000_000L); // half a second: one token at 2/s
        assertNull(rate.admit("bob"));
        assertEquals(InboundRate.Reason.OCCUPANT_RATE, rate.admit("bob"));
    }

    @Test
    void occupantsWithinTheirRatesAreRefusedOnceTheRoomsBurstIsSpent() {
        assertNull(rate.admit("a"));
        assertNull(rate.admit("a"));
        assertNull(rate.admit("b"));
        assertNull(rate.admit("b"));
        assertNull(rate.admit("c"));
        assertEquals(InboundRate.Reason.ROOM_RATE, rate.admit("c"));
    }

    @Test
    void aBurstOfRefusalsStartsOnceAndEndsAfterFiveQuietSecondsWithItsCount() {
        assertSame(InboundRate.STARTED, rate.refused("bob"));
        assertNull(rate.refused("bob"));
        assertNull(rate.refused("eve"));
        now.addAndGet(InboundRate.QUIET_NANOS - 1);
        assertNull(rate.admitted(), "not quiet long enough");
        now.addAndGet(1);
        InboundRate.BurstEnd end = rate.admitted();
        assertEquals(3, end.refused());
        assertEquals(Set.of("bob", "eve"), end.nicks());
        assertNull(rate.admitted(), "reported once");
        assertSame(InboundRate.STARTED, rate.refused("bob"), "the next refusal starts a new burst");
    }

    @Test
    void aBurstNoAdmissionEndedIsReportedWhenTheNextOneStarts() {
        rate.refused("bob");
        now.addAndGet(InboundRate.QUIET_NANOS);
        InboundRate.BurstEnd previous = rate.refused("bob");
        assertEquals(1, previous.refused());
        assertNull(rate.refused("bob"), "within the new burst");
    }

    @Test
    void anOccupantIsAnsweredAtMostOnceASecond() {
        rate.admit("bob");
        assertTrue(rate.replyDue("bob"));
        assertFalse(rate.replyDue("bob"));
        now.addAndGet(999_999_999L);
        assertFalse(rate.replyDue("bob"));
        now.addAndGet(1);
        assertTrue(rate.replyDue("bob"));
    }

    @Test
    void atMostAThousandAndTwentyFourOccupantsAreTrackedTheLeastRecentForgottenFirst() {
        InboundRate wide = new InboundRate(new InboundLimitSettings(1, 1, 1_000_000, 1_000_000, null), now::get);
        assertNull(wide.admit("first"));
        assertEquals(InboundRate.Reason.OCCUPANT_RATE, wide.admit("first"));
        for (int i = 0; i < InboundRate.MAX_OCCUPANTS; i++) {
            wide.admit("n" + i);
        }
        assertNull(wide.admit("first"), "forgotten: a fresh bucket");
    }
}
