package org.sigbridge.hub;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.sigbridge.spi.Position;

/**
 * {@link Frontier} makes its maps with the first stamp or the first new log (every channel's history has a frontier,
 * and only a channel shared by a cluster's instances sees either; docs/benchmarks.md, "Idle memory per WebSocket
 * connection, session 14"): a frontier that saw nothing answers as an empty one, and each first use starts from there.
 */
class FrontierTest {

    @Test
    void aFrontierThatSawNothingIsEmpty() {
        Frontier f = new Frontier();
        assertEquals(Map.of(), f.highest());
        assertEquals(List.of(), f.carried());
    }

    @Test
    void aNewLogBeforeAnyStampCarriesNothingAndLaterStampsAreTracked() {
        Frontier f = new Frontier();
        f.logBegan("log_2");
        assertEquals(List.of(), f.carried());
        f.delivered(new Position.Mark("log_2", 1), new Position.Mark("stamp_a", 7));
        assertEquals(Map.of("stamp_a", 7L), f.highest());
        assertEquals(List.of(), f.carried(), "a stamp of the new log carries nothing");
    }

    @Test
    void theFirstStampIsTrackedAndCarriedWhenTheLogBeginsAgain() {
        Frontier f = new Frontier();
        f.delivered(new Position.Mark("log_1", 1), new Position.Mark("stamp_a", 3));
        f.delivered(new Position.Mark("log_1", 2), new Position.Mark("stamp_a", 5));
        assertEquals(Map.of("stamp_a", 5L), f.highest());
        f.logBegan("log_2");
        assertEquals(List.of(new Position.Mark("stamp_a", 5)), f.carried());
        f.delivered(new Position.Mark("log_2", 1), new Position.Mark("stamp_a", 6));
        assertEquals(List.of(), f.carried(), "the new log's cursor passed the carried mark");
    }
}
