package org.sigbridge.web.socketio.reliable;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * Reliable-Signaler's rooms on this bridge: each registered room and the connection (root endpoint id) that
 * registered it, and the {@code get-session-info} questions waiting for a room to appear. A waiter is answered once,
 * when the room is registered, and forgotten when its asker leaves, so nothing is answered after the asker left and no
 * timer is left behind. Thread-safe (one lock; callers are session readers).
 */
final class RoomRegistry {

    /** A question waiting for {@code room}; {@code answer} runs once, outside the lock. */
    record Waiter(String asker, String room, Runnable answer) {
    }

    private final Map<String, String> rooms = new HashMap<>();
    private final List<Waiter> waiters = new ArrayList<>();

    /**
     * Registers {@code room} for {@code owner} (last registration wins) and answers its waiters.
     *
     * @return false when {@code owner} already holds {@code maxPerOwner} other rooms (nothing changes then)
     */
    boolean register(String room, String owner, int maxPerOwner) {
        List<Waiter> due = new ArrayList<>();
        synchronized (this) {
            if (!owner.equals(rooms.get(room)) && rooms.values().stream().filter(owner::equals).count() >= maxPerOwner) {
                return false;
            }
            rooms.put(room, owner);
            for (Iterator<Waiter> it = waiters.iterator(); it.hasNext(); ) {
                Waiter w = it.next();
                if (w.room().equals(room)) {
                    due.add(w);
                    it.remove();
                }
            }
        }
        due.forEach(w -> w.answer().run());
        return true;
    }

    /**
     * Answers at once when {@code room} is registered, else keeps the waiter.
     *
     * @return false when {@code asker} already has {@code maxPerAsker} questions waiting (nothing is kept then)
     */
    boolean ask(Waiter waiter, int maxPerAsker) {
        boolean now;
        synchronized (this) {
            now = rooms.containsKey(waiter.room());
            if (!now) {
                long mine = waiters.stream().filter(w -> w.asker().equals(waiter.asker())).count();
                if (mine >= maxPerAsker) {
                    return false;
                }
                waiters.add(waiter);
            }
        }
        if (now) {
            waiter.answer().run();
        }
        return true;
    }

    /** The connection {@code owner} left: its rooms are deleted and its questions forgotten. */
    synchronized void left(String owner) {
        rooms.values().removeIf(owner::equals);
        waiters.removeIf(w -> w.asker().equals(owner));
    }

    synchronized boolean registered(String room) {
        return rooms.containsKey(room);
    }

    /** Questions waiting now (for tests and metrics). */
    synchronized int waiting() {
        return waiters.size();
    }
}
