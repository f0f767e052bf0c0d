package org.sigbridge.web.socketio.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class DeadlineQueueTest {

    /** One entry coming due: which, the deadline it was called for, and when it ran. */
    private record Due(int id, long deadline, long ranAt) {
    }

    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor();

    @AfterEach
    void stopTimer() {
        timer.shutdownNow();
    }

    @Test
    void entriesComeDueInTheOrderAddedOnceEachAndNeverBeforeTheirDeadline() throws Exception {
        DeadlineQueue queue = new DeadlineQueue(timer, Duration.ofMillis(20));
        BlockingQueue<Due> fired = new LinkedBlockingQueue<>();
        // Two batches: the second wraps the ring past its first capacity (16) with the head moved, then grows it to 64.
        for (int batch = 0; batch < 2; batch++) {
            int first = batch * 10;
            int count = batch == 0 ? 10 : 50;
            List<Long> deadlines = new ArrayList<>();
            for (int i = first; i < first + count; i++) {
                int id = i;
                deadlines.add(queue.add((q, deadline) -> fired.add(new Due(id, deadline, System.nanoTime()))));
            }
            for (int i = 0; i < count; i++) {
                Due due = fired.poll(10, TimeUnit.SECONDS);
                assertNotNull(due, "entry " + (first + i) + " came due");
                assertEquals(first + i, due.id(), "in the order added");
                assertEquals(deadlines.get(i), due.deadline(), "called with the deadline add returned");
                assertTrue(due.ranAt() - due.deadline() >= 0, "not before its deadline");
            }
        }
        assertEquals(0, queue.size(), "nothing left waiting");
        assertEquals(null, fired.poll(100, TimeUnit.MILLISECONDS), "each came due once");
    }
}
