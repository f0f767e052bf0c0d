package org.sigbridge.cluster;

import io.lettuce.core.Limit;
import io.lettuce.core.Range;
import io.lettuce.core.StreamMessage;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * Reads a page of a channel's log for a gap fill or a catch-up (docs/cluster.md §3) without blocking the
 * {@link Receiver}: the {@code XRANGE} goes out with Lettuce's asynchronous commands, and its answer (or its failure)
 * is handed back as a {@link Page} to {@code answers}, which only enqueues it for the receive thread. One read is in
 * flight per channel ({@link ChannelState#filling}); while it is, that channel's frames wait in
 * {@link ChannelState#held}, and every other channel goes on.
 *
 * <p>Bounded: a page is at most {@link #PAGE} entries, and a read that has not answered within the command timeout
 * ({@code cluster.command-timeout}) is answered as failed, so a channel never waits longer than that for one page.
 * {@link #read} is called on the receive thread and never blocks; {@code answers} runs on Lettuce's event loop or on
 * the timeout's thread.
 */
final class LogFill {

    /** Entries read per {@code XRANGE}. */
    static final int PAGE = 500;

    /**
     * One read in flight: offsets {@code next..to} of the channel's log, under {@code epoch}, for a fill that started
     * at {@code from}. Compared by identity: an answer whose read is no longer the channel's {@link ChannelState#filling}
     * (the channel closed, or was opened again) is dropped.
     */
    static final class Read {
        final String epoch;
        final long next;
        final long to;

        Read(String epoch, long next, long to) {
            this.epoch = epoch;
            this.next = next;
            this.to = to;
        }
    }

    /** The answer to a {@link Read}: the page, or the failure (then {@code entries} is empty). */
    record Page(ChannelState channel, Read read, List<StreamMessage<String, String>> entries, Throwable failure) {
    }

    private final RedisLink link;
    private final Consumer<Page> answers;
    private final long timeoutMillis;

    /** @param answers takes each answer on a foreign thread: it must only enqueue */
    LogFill(RedisLink link, Consumer<Page> answers) {
        this.link = link;
        this.answers = answers;
        this.timeoutMillis = link.settings().commandTimeout().toMillis();
    }

    /**
     * Sends the read of offsets {@code next..to} (at most a page) of {@code st}'s log and marks it as the channel's
     * read in flight. Receive thread; never blocks. A command Lettuce rejects at once (Redis disconnected) is answered
     * as failed the same way, through {@code answers}.
     */
    void read(ChannelState st, long next, long to) {
        Read read = new Read(st.epoch, next, to);
        st.filling = read;
        try {
            link.async().xrange(st.channel.keys().log(), Range.create(next + "-0", to + "-0"), Limit.from(PAGE))
                    .toCompletableFuture()
                    .orTimeout(timeoutMillis, TimeUnit.MILLISECONDS)
                    .whenComplete((entries, e) -> answers.accept(new Page(st, read, e == null ? entries : List.of(), e)));
        } catch (RuntimeException e) {
            answers.accept(new Page(st, read, List.of(), e)); // rejected before it was queued: answered like a failure
        }
    }
}
