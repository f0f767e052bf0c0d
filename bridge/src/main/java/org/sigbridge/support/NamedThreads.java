package org.sigbridge.support;

import java.util.Objects;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Names an adapter's own threads so that a thread dump says whose they are: {@code <prefix>-<n>} from
 * {@link #numbered}, or exactly one name from {@link #named} for a single worker thread. The threads are
 * daemons, so a forgotten close cannot hold the JVM; the executor's owner still shuts it down. Thread-safe.
 */
public final class NamedThreads implements ThreadFactory {

    private final String prefix;
    private final boolean number;
    private final AtomicInteger count = new AtomicInteger();

    private NamedThreads(String prefix, boolean number) {
        this.prefix = Objects.requireNonNull(prefix, "prefix");
        this.number = number;
    }

    /** Threads named {@code prefix-1}, {@code prefix-2}, … */
    public static NamedThreads numbered(String prefix) {
        return new NamedThreads(prefix, true);
    }

    /** Threads all named {@code name}: for an executor of one thread, e.g. {@code sip-<adapter>-worker}. */
    public static NamedThreads named(String name) {
        return new NamedThreads(name, false);
    }

    @Override
    public Thread newThread(Runnable task) {
        Thread t = new Thread(task, number ? prefix + "-" + count.incrementAndGet() : prefix);
        t.setDaemon(true);
        return t;
    }
}
