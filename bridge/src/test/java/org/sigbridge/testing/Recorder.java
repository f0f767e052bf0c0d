package org.sigbridge.testing;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * A bounded queue of things a test waits for. {@link #next} fails the test with a clear message on
 * timeout instead of returning {@code null}.
 *
 * @param <T> what is recorded
 */
public final class Recorder<T> {

    private final String what;
    private final LinkedBlockingQueue<T> items = new LinkedBlockingQueue<>(100_000);

    Recorder(String what) {
        this.what = what;
    }

    void add(T item) {
        if (!items.offer(item)) {
            throw new IllegalStateException(what + ": recorder full; the test never drains it");
        }
    }

    /** The next item, waiting up to {@code timeout}; fails with an {@link AssertionError} if none comes. */
    public T next(Duration timeout) {
        try {
            T item = items.poll(timeout.toMillis(), TimeUnit.MILLISECONDS);
            if (item == null) {
                throw new AssertionError(what + ": nothing arrived within " + timeout);
            }
            return item;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(what + ": interrupted while waiting", e);
        }
    }

    /** The next item with the default 5 s wait. */
    public T next() {
        return next(Duration.ofSeconds(5));
    }

    /** Fails if anything arrives within {@code quiet}. */
    public void expectNothing(Duration quiet) {
        try {
            T item = items.poll(quiet.toMillis(), TimeUnit.MILLISECONDS);
            if (item != null) {
                throw new AssertionError(what + ": expected nothing, got " + item);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(what + ": interrupted while waiting", e);
        }
    }

    /** Removes and returns what has arrived so far, without waiting. */
    public List<T> drain() {
        List<T> out = new ArrayList<>();
        items.drainTo(out);
        return out;
    }

    public int size() {
        return items.size();
    }
}
