package org.sigbridge.web.loop;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.Socket;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.util.thread.ScheduledExecutorScheduler;
import org.eclipse.jetty.util.thread.Scheduler;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * {@link IdleTimeoutWheel}'s contract (a task runs once, on the clock's thread, never before its delay; a cancel
 * answers whether it stopped the task; cancelled entries are unlinked) and that {@link EventLoopConnector}'s sockets
 * take their idle timeouts from it, so that an idle socket holds one wheel entry rather than a task of the server's
 * scheduler (docs/benchmarks.md, "Idle memory per WebSocket connection, session 14"). Real Jetty scheduler, real
 * server, real sockets; every wait is bounded by the test's timeout.
 */
@Timeout(60)
class IdleTimeoutWheelTest {

    private ScheduledExecutorScheduler clock;
    private IdleTimeoutWheel wheel;

    @BeforeEach
    void start() throws Exception {
        clock = new ScheduledExecutorScheduler("wheel-test-clock", true);
        clock.start();
        wheel = new IdleTimeoutWheel(clock);
        wheel.start();
    }

    @AfterEach
    void stop() throws Exception {
        wheel.stop();
        clock.stop();
    }

    /**
     * A cancelled entry stays linked until its slot comes round (up to a turn of the wheel, about 100 s), but must not
     * keep its task: Jetty's task holds the endpoint, and with it a closed connection's objects (MixedSoakIT saw 33 MiB
     * kept under connection churn when it did).
     */
    @Test
    void aCancelledTaskIsNotKeptWhileItsEntryWaitsToBeUnlinked() throws Exception {
        Object connection = new byte[1 << 20];
        java.lang.ref.WeakReference<Object> held = new java.lang.ref.WeakReference<>(connection);
        Scheduler.Task task = wheel.schedule(connection::hashCode, 60, TimeUnit.SECONDS);
        connection = null;
        assertTrue(task.cancel());
        assertEquals(1, wheel.linked(), "still linked: its slot has not come round");
        for (int i = 0; i < 50 && held.get() != null; i++) {
            System.gc();
            Thread.sleep(20); // a pause between collections, not a wait for an event
        }
        assertTrue(held.get() == null, "the cancelled task and what it captured were collected");
    }

    @Test
    void aTaskRunsOnceOnTheClocksThreadAndNotBeforeItsDelay() throws Exception {
        CountDownLatch ran = new CountDownLatch(1);
        List<String> threads = new CopyOnWriteArrayList<>();
        AtomicLong ranAfterNanos = new AtomicLong();
        long scheduled = System.nanoTime();
        Scheduler.Task task = wheel.schedule(() -> {
            ranAfterNanos.set(System.nanoTime() - scheduled);
            threads.add(Thread.currentThread().getName());
            ran.countDown();
        }, 350, TimeUnit.MILLISECONDS);
        assertTrue(ran.await(30, TimeUnit.SECONDS), "the task ran");
        assertTrue(ranAfterNanos.get() >= TimeUnit.MILLISECONDS.toNanos(350), "never early: " + ranAfterNanos.get() + " ns");
        assertTrue(threads.get(0).startsWith("wheel-test-clock"), threads.toString());
        assertFalse(task.cancel(), "a task that ran cannot be cancelled");
        awaitUnlinked(0);
        assertEquals(1, threads.size(), "ran once");
    }

    @Test
    void aCancelledTaskDoesNotRunAndIsUnlinked() throws Exception {
        List<String> runs = new CopyOnWriteArrayList<>();
        Scheduler.Task cancelled = wheel.schedule(() -> runs.add("cancelled"), 200, TimeUnit.MILLISECONDS);
        assertTrue(cancelled.cancel(), "cancelled before it ran");
        assertFalse(cancelled.cancel(), "a second cancel stops nothing");
        CountDownLatch later = new CountDownLatch(1);
        wheel.schedule(later::countDown, 400, TimeUnit.MILLISECONDS); // due after the cancelled one
        assertTrue(later.await(30, TimeUnit.SECONDS));
        assertEquals(List.of(), runs, "the cancelled task's slot was passed without running it");
        awaitUnlinked(0);
    }

    @Test
    void aTaskMayScheduleTheNextOneAsJettysIdleCheckDoes() throws Exception {
        CountDownLatch second = new CountDownLatch(1);
        wheel.schedule(() -> wheel.schedule(second::countDown, 0, TimeUnit.MILLISECONDS), 100, TimeUnit.MILLISECONDS);
        assertTrue(second.await(30, TimeUnit.SECONDS), "a task scheduled from a running task runs at a later tick");
    }

    @Test
    void aTaskBeyondOneTurnOfTheWheelWaitsForItsTurn() throws Exception {
        long turnMillis = IdleTimeoutWheel.SLOTS * IdleTimeoutWheel.TICK_MILLIS;
        Scheduler.Task far = wheel.schedule(() -> { }, turnMillis + 300, TimeUnit.MILLISECONDS);
        CountDownLatch near = new CountDownLatch(1);
        // Due in (or next to) the far task's slot, one turn earlier: the tick that runs it must keep the far one.
        wheel.schedule(near::countDown, 300, TimeUnit.MILLISECONDS);
        assertTrue(near.await(30, TimeUnit.SECONDS));
        assertEquals(1, wheel.linked(), "the far task is still waiting");
        assertTrue(far.cancel(), "and has not run");
    }

    @Test
    void theConnectorsSocketsTimeOutOnTheWheel() throws Exception {
        Server server = new Server();
        EventLoopConnector connector = new EventLoopConnector(server, 1);
        connector.setHost("127.0.0.1");
        connector.setPort(0);
        connector.setIdleTimeout(500);
        server.addConnector(connector);
        server.start();
        try (Socket socket = new Socket("127.0.0.1", connector.getLocalPort())) {
            while (connector.getConnectedEndPoints().isEmpty()) {
                TimeUnit.MILLISECONDS.sleep(10); // a poll, bounded by the test's timeout
            }
            LoopEndPoint endPoint = (LoopEndPoint) connector.getConnectedEndPoints().iterator().next();
            assertSame(connector.idleTimeouts(), endPoint.getScheduler(), "the socket's idle timeout runs on the connector's wheel");
            assertTrue(connector.idleTimeouts().linked() >= 1, "the open socket's idle check waits in the wheel");
            // Silent: the idle timeout closes it, and the server's side closing shows as end of stream here.
            assertEquals(-1, socket.getInputStream().read(), "closed by the server after its idle timeout");
        } finally {
            server.stop();
        }
        assertFalse(connector.idleTimeouts().isRunning(), "stopped with the connector");
    }

    private void awaitUnlinked(int expected) throws InterruptedException {
        while (wheel.linked() != expected) {
            TimeUnit.MILLISECONDS.sleep(10); // a poll, bounded by the test's timeout; a due entry is unlinked at its tick
        }
    }
}
