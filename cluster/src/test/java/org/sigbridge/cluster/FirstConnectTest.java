package org.sigbridge.cluster;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;


import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.AppenderBase;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.sigbridge.spi.AdapterStartException;
import org.sigbridge.spi.LegState;
import org.sigbridge.testkit.junit.RedisExtension;
import org.sigbridge.web.TestBridge;
import org.slf4j.LoggerFactory;

/**
 * The first connection to Redis at start (docs/operations.md, {@code cluster.connect-timeout}): it may take the whole
 * connect timeout, not only the command timeout, and attempts that fail early are made again within it — so an
 * instance whose Redis answers late (SIGSTOP here; a loaded machine in life) or is not listening yet starts, and one
 * whose Redis never answers refuses to start with one line naming the address and the timeout. Redis is resumed or
 * started when the attempts' log says the instance is waiting for it. Small timeouts keep it fast: commands 300 ms,
 * connect 5 s (1 s where it must fail).
 */
class FirstConnectTest {

    @RegisterExtension
    final RedisExtension redis = new RedisExtension();

    private final ScheduledExecutorService later = Executors.newSingleThreadScheduledExecutor(r -> new Thread(r, "first-connect-test"));
    private final AttemptLog attempts = new AttemptLog();

    @AfterEach
    void stopTheTimer() {
        later.shutdownNow();
        attempts.close();
    }

    private static String timeouts(String connect) {
        return "  command-timeout: 300ms\n  connect-timeout: " + connect + "\n" + Instances.FAST;
    }

    @Test
    void anInstanceWhoseRedisAnswersOnlyAfterTheCommandTimeoutStartsWithinTheConnectTimeout() throws Exception {
        redis.server().pause(); // the TCP connection is accepted by the kernel; the handshake waits for Redis
        AtomicBoolean resumed = new AtomicBoolean();
        // resumed a second (three command timeouts, well within the connect timeout) after the first attempt began
        attempts.logged("(attempt 1 of ").thenRun(() -> later.schedule(() -> {
            resumed.set(true);
            redis.server().resume();
        }, 1, TimeUnit.SECONDS));
        try (Instances cluster = new Instances()) {
            TestBridge a = cluster.startYaml(Instances.yaml("a", redis.server(), timeouts("5s")));
            assertTrue(resumed.get(), "the start waited for Redis past the command timeout");
            Instances.awaitLeg(a, LegState.Status.READY, Duration.ofSeconds(5));
        } finally {
            resumeIfPaused();
        }
    }

    @Test
    void anInstanceWhoseRedisIsNotListeningYetStartsWhenItComesUpWithinTheConnectTimeout() throws Exception {
        redis.server().stop(); // connections are refused at once
        AtomicBoolean started = new AtomicBoolean();
        // started again once an attempt was refused: the next one, after a pause, finds it
        attempts.logged("failed").thenRun(() -> later.execute(() -> {
            redis.server().startAgain();
            started.set(true);
        }));
        try (Instances cluster = new Instances()) {
            TestBridge a = cluster.startYaml(Instances.yaml("a", redis.server(), timeouts("5s")));
            assertTrue(started.get(), "the start waited for Redis to come up");
            Instances.awaitLeg(a, LegState.Status.READY, Duration.ofSeconds(5));
        }
    }

    @Test
    void anInstanceWhoseRedisNeverAnswersRefusesToStartNamingTheAddressAndTheTimeout() throws Exception {
        redis.server().pause();
        try (Instances cluster = new Instances()) {
            AdapterStartException e = assertThrows(AdapterStartException.class,
                    () -> cluster.startYaml(Instances.yaml("a", redis.server(), timeouts("1s"))));
            String message = e.getMessage();
            assertTrue(message.startsWith("cluster: cannot reach Redis at " + redis.server().uri()), message);
            assertTrue(message.contains("within connect-timeout 1000 ms"), message);
            assertTrue(message.contains("cluster.connect-timeout"), "says what to raise: " + message);
        } finally {
            resumeIfPaused();
        }
    }

    private void resumeIfPaused() {
        later.shutdownNow();
        try {
            redis.server().resume();
        } catch (IllegalStateException notRunning) {
            // stopped by the test: nothing to resume
        }
    }

    /** The connect attempts' log lines ({@link ConnectAttempts}), watched: what the test acts on, never a guess of time. */
    private static final class AttemptLog extends AppenderBase<ILoggingEvent> implements AutoCloseable {
        private final Logger logger = (Logger) LoggerFactory.getLogger(ConnectAttempts.class);
        private final List<Map.Entry<String, CompletableFuture<Void>>> waiting = new CopyOnWriteArrayList<>();

        AttemptLog() {
            start();
            logger.addAppender(this);
        }

        /** Completes when a line containing {@code text} is logged. */
        CompletableFuture<Void> logged(String text) {
            CompletableFuture<Void> seen = new CompletableFuture<>();
            waiting.add(Map.entry(text, seen));
            return seen;
        }

        @Override
        protected void append(ILoggingEvent event) {
            String line = event.getFormattedMessage();
            waiting.stream().filter(w -> line.contains(w.getKey())).forEach(w -> w.getValue().complete(null));
        }

        @Override
        public void close() {
            logger.detachAppender(this);
            stop();
        }
    }
}
