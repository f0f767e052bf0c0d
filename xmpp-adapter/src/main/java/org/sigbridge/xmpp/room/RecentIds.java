package org.sigbridge.xmpp.room;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The ids of the last envelopes a room delivered to the hub, so that a resend never becomes a second
 * delivery: a sending bridge re-sends whatever the room had not reflected before its session or membership
 * was lost (see {@link AwaitingReflection}), and the first copy may have reached the room after all. The
 * envelope id (the {@code signal} element's {@code id}, else the XEP-0359 {@code <origin-id/>}) is unique
 * per envelope, so a repeated id is a repeat. Bounded: the oldest id is forgotten first. Worker-confined.
 */
final class RecentIds {

    private final Map<String, Boolean> ids;

    RecentIds(int capacity) {
        this.ids = new LinkedHashMap<>(capacity * 4 / 3 + 1, 0.75f, false) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<String, Boolean> eldest) {
                return size() > capacity;
            }
        };
    }

    /** Records {@code id}; false when it was already recorded (a duplicate). */
    boolean firstTime(String id) {
        return ids.put(id, Boolean.TRUE) == null;
    }
}
