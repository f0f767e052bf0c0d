package org.sigbridge.support;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Optional;
import org.junit.jupiter.api.Test;

class RecentIdsTest {

    @Test
    void answersARepeatWithTheValueRememberedFirst() {
        RecentIds<String, Integer> seen = new RecentIds<>(4);
        assertEquals(Optional.empty(), seen.putIfAbsent("a", 0));
        assertEquals(Optional.of(0), seen.putIfAbsent("a", 200));
        seen.update("a", 202);
        assertEquals(Optional.of(202), seen.putIfAbsent("a", 0));
    }

    @Test
    void forgetsTheOldestKeyBeyondItsCapacity() {
        RecentIds<String, Boolean> seen = new RecentIds<>(2);
        seen.put("a", true);
        seen.put("b", true);
        seen.put("c", true);
        assertFalse(seen.contains("a"));
        assertTrue(seen.contains("b"));
        assertTrue(seen.contains("c"));
        assertEquals(2, seen.size());
    }

    @Test
    void aRemovedKeyIsNewAgainAndUpdateDoesNotAddOne() {
        RecentIds<String, Integer> seen = new RecentIds<>(8);
        seen.putIfAbsent("k", 0);
        seen.remove("k");
        seen.update("k", 200);
        assertEquals(Optional.empty(), seen.get("k"));
        assertEquals(Optional.empty(), seen.putIfAbsent("k", 1));
    }

    @Test
    void refusesACapacityBelowOne() {
        assertThrows(IllegalArgumentException.class, () -> new RecentIds<String, Boolean>(0));
    }
}
