package org.sigbridge.dist.soak;

import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.sigbridge.testkit.sip.SipTransport;
import org.sigbridge.testkit.sip.SipUserAgent;

/**
 * Keeps a user agent's registration alive as a real UA does (RFC 3261 §10.2.4: a binding is refreshed before it
 * expires): testkit's {@link SipUserAgent#register} binds for 300 s once, and the first 30-minute soak lost every SIP
 * cycle after that. A daemon thread re-REGISTERs every {@code every}; a refresh that fails (no 200 within 20 s on a
 * loaded machine) is retried 5 s later. {@link #longestGap()} tells whether the binding could have lapsed.
 * Started and closed by the test thread; the agent is the test's.
 */
final class KeptRegistration implements AutoCloseable {

    private final SipUserAgent agent;
    private final Thread thread;
    private volatile long lastOk = System.nanoTime();
    private volatile long longestGapNanos;
    private volatile int refreshes;
    private volatile int failures;

    /** Starts refreshing; the agent must have registered (200) just before. */
    KeptRegistration(SipUserAgent agent, Duration every) {
        this.agent = agent;
        this.thread = new Thread(() -> run(every), "soak-registration-" + agent.user());
        thread.setDaemon(true);
        thread.start();
    }

    private void run(Duration every) {
        try {
            long next = lastOk + every.toNanos();
            while (true) {
                TimeUnit.NANOSECONDS.sleep(Math.max(0, next - System.nanoTime())); // the refresh clock, not a wait for an event
                int status;
                try {
                    status = agent.register(SipTransport.UDP, Duration.ofSeconds(20));
                } catch (RuntimeException e) {
                    status = -1;
                }
                long now = System.nanoTime();
                if (status == 200) {
                    longestGapNanos = Math.max(longestGapNanos, now - lastOk);
                    lastOk = now;
                    refreshes++;
                    next = now + every.toNanos();
                } else {
                    failures++;
                    System.err.println("soak: " + agent.user() + "'s registration refresh got " + status + "; again in 5 s");
                    next = now + TimeUnit.SECONDS.toNanos(5);
                }
            }
        } catch (InterruptedException stop) {
            Thread.currentThread().interrupt();
        }
    }

    /** The longest time between two successful registrations so far, the time since the last one included. */
    Duration longestGap() {
        return Duration.ofNanos(Math.max(longestGapNanos, System.nanoTime() - lastOk));
    }

    String summary() {
        return refreshes + " refreshes, " + failures + " failed tries, longest gap " + longestGap().toSeconds() + " s";
    }

    @Override
    public void close() throws InterruptedException {
        thread.interrupt();
        thread.join(30_000);
    }
}
