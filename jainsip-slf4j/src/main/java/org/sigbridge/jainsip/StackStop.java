package org.sigbridge.jainsip;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import javax.sip.ListeningPoint;
import javax.sip.SipStack;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Stops a JAIN-SIP RI 1.3.0-91 stack and returns once its listening ports are free, without the RI's fixed second.
 *
 * <p>{@code SIPTransactionStack.stopStack()} closes each message processor's socket ({@code UDPMessageProcessor},
 * {@code TCPMessageProcessor}, {@code TLSMessageProcessor}: {@code sock.close()}), stops its timer, then sleeps 1 s
 * ("let the processing complete") before it clears its tables. The close itself is not synchronous: each processor's
 * thread ({@code MessageProcessorThread-UDP|TCP|TLS-<ip>/<port>}) is blocked in {@code receive}/{@code accept}, and the
 * JDK only signals it; the kernel socket is released when that thread leaves the system call. So a port bound again
 * right after the close can fail with "Address already in use" (seen once in three runs without the second).
 *
 * <p>{@link #stop} instead ends the sleep at once (an interrupt pending when {@code stopStack} sleeps; it swallows the
 * {@code InterruptedException}) and then waits for exactly the event the second stood for: every processor thread of
 * the stack's listening points has ended, so no thread holds a listening socket any more. If a processor thread
 * cannot be found by its name (another RI version), it keeps the RI's full second. Called by the stack's owner on its
 * closing thread; blocks for at most the given wait (normally a few milliseconds); keeps the caller's interrupt status.
 * docs/library-assumptions.md#jain-sip.
 */
public final class StackStop {

    private static final Logger log = LoggerFactory.getLogger(StackStop.class);
    private static final String PROCESSOR_THREAD = "MessageProcessorThread-";
    private static final int STOP_ATTEMPTS = 3;

    private StackStop() {
    }

    /** How a {@link #stop} ended. */
    public enum Outcome {
        /** Every listening thread ended: the ports are free. */
        RELEASED,
        /** A listening point had no thread of the expected name, so the RI's fixed second was kept. */
        FIXED_SECOND,
        /** A listening thread still ran when the wait was over: its port may still be bound. */
        STILL_HELD
    }

    /**
     * Stops {@code stack}, interrupts its leftover {@code scanners} (JAIN-SIP leaves its non-daemon
     * {@code EventScannerThread} blocked after a stop) and waits up to {@code socketWait} until the threads of its
     * listening points have ended. Never throws for a stack that fails to stop: the RI's stop races with its own
     * channel lists (NPE, CME) and then leaves the processors after the failing one running, so it is stopped again
     * (up to three times).
     *
     * @return {@link Outcome#RELEASED} once every listening socket was released within {@code socketWait}
     */
    public static Outcome stop(SipStack stack, Set<Thread> scanners, Duration socketWait) {
        List<Thread> holders = new ArrayList<>();
        boolean everyPointFound = listeningThreads(stack, holders);
        boolean callerInterrupted = Thread.interrupted();
        for (int attempt = 1; attempt <= STOP_ATTEMPTS; attempt++) {
            if (everyPointFound) {
                Thread.currentThread().interrupt(); // ends stopStack's fixed one-second sleep at once
            }
            try {
                stack.stop();
                break;
            } catch (RuntimeException e) {
                // UDPMessageProcessor.stop() iterates a channel list its own thread may still be filling (a stop right
                // after the start): the CME ends stopStack before it stops the next processors, whose sockets would
                // stay bound. Stopping again stops the ones left (a stopped processor is no longer in the list).
                log.debug("JAIN-SIP stop of {} raced with itself (attempt {}): {}", stack.getStackName(), attempt, e.toString());
            } finally {
                Thread.interrupted(); // whatever stopStack left: not ours to keep
            }
        }
        scanners.forEach(Thread::interrupt); // it logs "Interrupted!" at error level and exits
        Outcome outcome = everyPointFound ? Outcome.RELEASED : Outcome.FIXED_SECOND;
        long deadline = System.nanoTime() + socketWait.toNanos();
        for (Thread t : holders) {
            try {
                t.join(Math.max(1, TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime())));
            } catch (InterruptedException e) {
                callerInterrupted = true;
            }
            if (t.isAlive()) {
                outcome = Outcome.STILL_HELD;
                log.warn("{}: JAIN-SIP thread {} still holds its socket {} ms after the stop; the port may still be bound",
                        stack.getStackName(), t.getName(), socketWait.toMillis());
                break;
            }
        }
        if (callerInterrupted) {
            Thread.currentThread().interrupt();
        }
        return outcome;
    }

    /**
     * Adds to {@code into} the live processor threads of {@code stack}'s listening points; false if one of the points
     * has none (then the RI's own second is kept).
     */
    private static boolean listeningThreads(SipStack stack, List<Thread> into) {
        List<String> names = new ArrayList<>();
        for (Iterator<?> it = stack.getListeningPoints(); it.hasNext(); ) {
            ListeningPoint lp = (ListeningPoint) it.next();
            names.add(PROCESSOR_THREAD + lp.getTransport().toUpperCase(Locale.ROOT) + "-" + lp.getIPAddress() + "/" + lp.getPort());
        }
        Set<Thread> live = Thread.getAllStackTraces().keySet();
        boolean all = true;
        for (String name : names) {
            List<Thread> found = live.stream().filter(t -> t.getName().equals(name)).toList();
            if (found.isEmpty()) {
                log.debug("{}: no thread {}; keeping JAIN-SIP's fixed second on stop", stack.getStackName(), name);
                all = false;
            }
            into.addAll(found);
        }
        return all;
    }
}
