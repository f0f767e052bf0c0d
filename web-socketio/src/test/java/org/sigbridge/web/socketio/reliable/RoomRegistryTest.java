package org.sigbridge.web.socketio.reliable;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Reliable-Signaler's room registry (docs/socketio-09.md "Reliable-Signaler"): questions answered once, never after the asker left. */
class RoomRegistryTest {

    @Test
    void aQuestionIsAnsweredWhenTheRoomAppearsAndForgottenWhenItsAskerLeaves() {
        RoomRegistry rooms = new RoomRegistry();
        List<String> answers = new ArrayList<>();
        assertTrue(rooms.ask(new RoomRegistry.Waiter("b", "r1", () -> answers.add("b:r1")), 16));
        assertTrue(rooms.ask(new RoomRegistry.Waiter("c", "r1", () -> answers.add("c:r1")), 16));
        assertTrue(rooms.ask(new RoomRegistry.Waiter("c", "r2", () -> answers.add("c:r2")), 16));
        assertEquals(List.of(), answers, "nothing is registered yet: no answer, never a negative one");
        rooms.left("c");
        assertEquals(1, rooms.waiting(), "the asker that left has no question waiting");
        assertTrue(rooms.register("r1", "a", 16));
        assertTrue(rooms.register("r2", "a", 16));
        assertEquals(List.of("b:r1"), answers, "answered once, and not the asker that left");
        assertEquals(0, rooms.waiting());
        assertTrue(rooms.ask(new RoomRegistry.Waiter("d", "r1", () -> answers.add("d:r1")), 16));
        assertEquals("d:r1", answers.get(1), "a registered room is answered at once");
        rooms.left("a");
        assertFalse(rooms.registered("r1"), "the owner's rooms end with it");
    }

    @Test
    void questionsAndRoomsAreBoundedPerConnection() {
        RoomRegistry rooms = new RoomRegistry();
        assertTrue(rooms.ask(new RoomRegistry.Waiter("b", "x", () -> { }), 2));
        assertTrue(rooms.ask(new RoomRegistry.Waiter("b", "y", () -> { }), 2));
        assertFalse(rooms.ask(new RoomRegistry.Waiter("b", "z", () -> { }), 2));
        assertTrue(rooms.register("r1", "a", 2));
        assertTrue(rooms.register("r2", "a", 2));
        assertTrue(rooms.register("r2", "a", 2), "registering a room it holds again is no new room");
        assertFalse(rooms.register("r3", "a", 2));
        assertFalse(rooms.registered("r3"));
    }
}
