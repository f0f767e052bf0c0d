package org.sigbridge.web.socketio.rmc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.sigbridge.envelope.JsonValue;
import org.sigbridge.spi.Position;

/**
 * The RTCMultiConnection offset and saved state of connection state recovery across instances (docs/cluster.md §2):
 * what the wire carries, and from where in its room's channel a user kept on another instance resumes. Pure.
 */
class RmcOffsetTest {

    private static final Position ROOM = new Position("h1", 7, new Position.Mark("L1", 42), null);
    private static final Position ENTERED_ROOM = new Position("h1", 3, new Position.Mark("L1", 38), null);

    @Test
    void aSingleBridgesOffsetIsTheStreamPositionAlone() {
        assertEquals("rmcabc-5", RmcOffset.wire(new Position("rmcabc", 5), null));
        assertEquals("rmcabc-5", RmcOffset.wire(new Position("rmcabc", 5), new Position("h1", 7)), "no cluster log cut: no room part");
        assertEquals(Optional.of(new RmcOffset(new Position("rmcabc", 5), null)), RmcOffset.parse("rmcabc-5"));
    }

    @Test
    void aClusterOffsetCarriesTheRoomPositionAndReadsBack() {
        String wire = RmcOffset.wire(new Position("rmcabc", 5), ROOM);
        assertEquals("rmcabc-5@h1-7.L1-42", wire);
        assertEquals(Optional.of(new RmcOffset(new Position("rmcabc", 5), ROOM)), RmcOffset.parse(wire));
    }

    @Test
    void anUnreadableOffsetIsNone() {
        for (String bad : new String[] {"", "@", "rmcabc-5@", "rmcabc-5@x", "rmc abc-5", "rmcabc-5@h1-7@h1-8"}) {
            assertTrue(RmcOffset.parse(bad).isEmpty(), bad);
        }
        assertTrue(RmcOffset.parse(null).isEmpty());
    }

    @Test
    void theSavedStateReadsBack() {
        RmcState state = new RmcState("room-1", true, new JsonValue("{\"a\":1}"), new Position("rmcabc", 2), ENTERED_ROOM);
        assertEquals(Optional.of(state).map(RmcState::write), RmcState.parse(state.write()).map(RmcState::write));
        assertTrue(RmcState.parse("{\"room\":\"r\"}").isEmpty(), "no entry position: unreadable");
        assertTrue(RmcState.parse("not json").isEmpty());
    }

    @Test
    void aUserKeptElsewhereResumesFromItsOffsetsRoomPositionOrFromWhereItEnteredItsRoom() {
        RmcState state = new RmcState("room-1", false, Json.EMPTY, new Position("rmcabc", 2), ENTERED_ROOM);
        assertEquals(ROOM, RmcRecovery.roomSince(state, RmcOffset.parse("rmcabc-5@h1-7.L1-42"), false));
        assertEquals(ENTERED_ROOM, RmcRecovery.roomSince(state, RmcOffset.parse("rmcabc-2"), false), "no room envelope since it entered");
        assertNull(RmcRecovery.roomSince(state, RmcOffset.parse("rmcabc-1@h1-7.L1-42"), false), "an offset of before it entered its room");
        assertNull(RmcRecovery.roomSince(state, RmcOffset.parse("rmcother-9@h1-7.L1-42"), false), "another stream's offset");
        assertNull(RmcRecovery.roomSince(state, Optional.empty(), true), "no offset, but it had events before it entered");
        RmcState enteredFirst = new RmcState("room-1", false, Json.EMPTY, new Position("rmcabc", 0), ENTERED_ROOM);
        assertEquals(ENTERED_ROOM, RmcRecovery.roomSince(enteredFirst, Optional.empty(), true), "no event at all: from where it entered");
    }
}
