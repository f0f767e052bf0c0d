package org.sigbridge.web.loop;

import java.util.ArrayList;

/**
 * Defers writes to the end of an event-loop turn, like a corked socket in Node ({@code socket.cork()} until the
 * turn ends): a socket that receives several frames while one loop thread handles a burst of reads gets them in
 * one network write instead of one write each. With fan-out that is the difference between a system call per
 * delivery and one per recipient per turn (docs/benchmarks.md, syscalls per delivery).
 *
 * <p>A cork belongs to one thread and is open only while that thread runs a WebSocket read on a selector
 * ({@link LoopEndPoint}); {@link LoopSelector} releases it before the thread selects again, or the read task
 * itself at its end if the thread is not the selector's. On every other thread {@link #current()} is {@code null}
 * and writes start at once. Deferred work is bounded by the sockets one turn touches: a target joins at most once
 * per turn (it tracks that itself).
 */
public final class WriteCork {

    /** Something with frames held back until the turn ends. */
    public interface Deferred {
        /** Starts writing what was held back. Called once per {@link WriteCork#defer}, on the cork's thread. */
        void release();
    }

    private static final ThreadLocal<WriteCork> CORKS = new ThreadLocal<>();

    private final ArrayList<Deferred> deferred = new ArrayList<>();
    private boolean open;

    private WriteCork() {
    }

    /** The calling thread's cork while it is open, else {@code null} (write now). */
    public static WriteCork current() {
        WriteCork cork = CORKS.get();
        return cork != null && cork.open ? cork : null;
    }

    /** Holds {@code target}'s writes until the turn ends. The caller remembers that it is deferred. */
    public void defer(Deferred target) {
        deferred.add(target);
    }

    /** Opens the calling thread's cork (creating it on first use). */
    static void open() {
        WriteCork cork = CORKS.get();
        if (cork == null) {
            cork = new WriteCork();
            CORKS.set(cork);
        }
        cork.open = true;
    }

    /** Closes the calling thread's cork, if it has one, and releases what it held. */
    static void releaseCurrent() {
        WriteCork cork = CORKS.get();
        if (cork != null) {
            cork.release();
        }
    }

    private void release() {
        // Closed first: whatever the released writes cause on this thread (a failed write closing a socket, which
        // tells its channels) is written at once instead of joining a list that is being emptied.
        open = false;
        int n = deferred.size();
        for (int i = 0; i < n; i++) {
            deferred.get(i).release();
        }
        deferred.clear();
        if (n > 1024) {
            deferred.trimToSize(); // one huge turn does not pin a large array for the thread's life
        }
    }
}
