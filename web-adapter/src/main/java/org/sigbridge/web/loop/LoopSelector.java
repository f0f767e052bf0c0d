package org.sigbridge.web.loop;

import java.io.IOException;
import java.nio.channels.Selector;
import org.eclipse.jetty.io.ManagedSelector;
import org.eclipse.jetty.io.SelectorManager;

/**
 * A Jetty selector that ends each event-loop turn by releasing the thread's {@link WriteCork}: Jetty calls
 * {@link #select} after it has run the tasks of every key the previous select returned, which is exactly the end
 * of the turn (Node's equivalent is uncorking in {@code process.nextTick}).
 */
final class LoopSelector extends ManagedSelector {

    /** The thread that last selected: the one that will select again after the non-blocking reads it runs. */
    private volatile Thread selecting;

    LoopSelector(SelectorManager manager, int id) {
        super(manager, id);
    }

    @Override
    protected int select(Selector selector) throws IOException {
        selecting = Thread.currentThread();
        WriteCork.releaseCurrent();
        return super.select(selector);
    }

    /** Whether the calling thread will come back here to select, and so may keep its cork open across reads. */
    boolean isSelectingThread() {
        return selecting == Thread.currentThread();
    }
}
