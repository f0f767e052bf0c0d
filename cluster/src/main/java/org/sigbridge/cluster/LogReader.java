package org.sigbridge.cluster;

import io.lettuce.core.KeyValue;
import io.lettuce.core.Limit;
import io.lettuce.core.Range;
import io.lettuce.core.StreamMessage;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import org.sigbridge.cluster.wire.BusFrame;
import org.sigbridge.cluster.wire.ChannelKeys;
import org.sigbridge.cluster.wire.EnvelopeCodec;
import org.sigbridge.spi.Position;
import org.sigbridge.spi.cluster.LogRead;

/**
 * Reads a shared channel's log for a client that resumes here from a position taken on another instance
 * (docs/design.md §3.8, docs/cluster.md §2). First a barrier goes through the {@link Appender}'s queue, so every
 * envelope this instance accepted on the channel before the resume is appended (or given up) before the log is read,
 * and through the {@link Receiver}'s, so the channel's position here is known; then the channel's meta hash and its log after the client's cut are read with Lettuce's asynchronous commands, a page
 * at a time. Answers {@link LogRead.Unavailable} when the log began again under another epoch, no longer holds the entry
 * after the cut, or Redis cannot be reached.
 *
 * <p>{@link #read} is called on hub threads and never blocks. Decoding and the answer run on one thread of its own
 * ({@code cluster-resume}, a bounded queue: a resume beyond it is answered unavailable), never on Lettuce's event loop.
 * {@link #close()} stops that thread.
 */
final class LogReader implements AutoCloseable {

    private static final int PAGE = 500;
    private static final int MAX_WAITING = 1000;

    private final RedisLink link;
    private final Appender appender;
    private final Receiver receiver;
    private final ThreadPoolExecutor executor;

    LogReader(RedisLink link, Appender appender, Receiver receiver) {
        this.receiver = receiver;
        this.link = link;
        this.appender = appender;
        this.executor = new ThreadPoolExecutor(1, 1, 0, TimeUnit.MILLISECONDS, new ArrayBlockingQueue<>(MAX_WAITING), r -> {
            Thread t = new Thread(r, "cluster-resume");
            t.setDaemon(true);
            return t;
        });
    }

    /**
     * The log of {@code channel} after {@code after}; the stage completes on the reader's thread, never exceptionally.
     * The read starts once the barrier went through the appender and the receiver has read the channel's position
     * (a channel the resume just opened here): so the log's newest entry when read is at or after the first one this
     * instance delivers live, and nothing falls between the replay and the live stream.
     */
    CompletionStage<LogRead> read(SharedChannel channel, Position.Mark after) {
        ChannelKeys keys = channel.keys();
        CompletableFuture<Boolean> reached = new CompletableFuture<>();
        if (!appender.offer(new Outbound.Barrier(reached, System.nanoTime()))) {
            return unavailable("the queue to Redis (" + link.settings().address() + ") is full");
        }
        CompletableFuture<LogRead> out = new CompletableFuture<>();
        Executor here = this::execute;
        reached.thenCompose(ok -> {
                    CompletableFuture<Boolean> synced = new CompletableFuture<>();
                    if (ok) {
                        receiver.afterSync(channel, synced);
                    } else {
                        synced.complete(false);
                    }
                    return synced;
                })
                .thenComposeAsync(ok -> ok ? meta(keys, after, here)
                        : unavailable("Redis (" + link.settings().address() + ") is unreachable, or channel '" + keys.channel()
                        + "' is not synced with it yet"), here)
                .whenComplete((r, e) -> {
                    // counted by the hub (sigbridge_resumes_total{outcome})
                    out.complete(e == null ? r : new LogRead.Unavailable("the cluster log could not be read: " + e));
                });
        return out;
    }

    private CompletionStage<LogRead> meta(ChannelKeys keys, Position.Mark after, Executor here) {
        return link.async().hmget(keys.meta(), "e", "t").thenComposeAsync(meta -> {
            String epoch = value(meta, 0);
            long top = Long.parseLong(Optional.ofNullable(value(meta, 1)).orElse("0"));
            boolean fromFirst = after.equals(Position.Mark.NO_LOG);
            if (epoch == null) {
                return fromFirst ? done(new LogRead.Entries(Position.Mark.NO_LOG, List.of()))
                        : unavailable("channel '" + keys.channel() + "' has no log now (it expired after cluster.log-age, or Redis lost it)");
            }
            if (!fromFirst && !epoch.equals(after.epoch())) {
                return unavailable("channel '" + keys.channel() + "''s log began again (epoch " + epoch + ", not " + after.epoch()
                        + "): Redis lost it or it expired");
            }
            long from = fromFirst ? 1 : after.offset() + 1;
            if (from > top + 1) {
                return unavailable("offset " + after.offset() + " is beyond the log's newest (" + top + ")");
            }
            Position.Mark newest = new Position.Mark(epoch, top);
            List<LogRead.Entry> entries = new ArrayList<>();
            return from > top ? done(new LogRead.Entries(newest, entries)) : page(keys, newest, from, from, entries, here);
        }, here);
    }

    private CompletionStage<LogRead> page(ChannelKeys keys, Position.Mark newest, long first, long next, List<LogRead.Entry> entries,
                                          Executor here) {
        return link.async().xrange(keys.log(), Range.create(next + "-0", newest.offset() + "-0"), Limit.from(PAGE))
                .thenComposeAsync(page -> {
                    long expect = next;
                    for (StreamMessage<String, String> m : page) {
                        Optional<BusFrame> f = BusFrame.parse(m.getBody().getOrDefault("f", ""));
                        if (f.isEmpty() || f.get().kind() != 'E' || !f.get().epoch().equals(newest.epoch())) {
                            continue;
                        }
                        if (f.get().offset() != expect) {
                            return unavailable("the log of channel '" + keys.channel() + "' no longer holds offset " + expect
                                    + " (raise cluster.log-length or log-age)");
                        }
                        expect++;
                        Optional<EnvelopeCodec.Decoded> d = EnvelopeCodec.readEnvelope(f.get().body());
                        if (d.isPresent() && d.get().envelope().channel().equals(keys.channel())) {
                            entries.add(new LogRead.Entry(f.get().offset(), f.get().instance(), d.get().stamp(), d.get().envelope()));
                        }
                    }
                    if (page.isEmpty() && expect <= newest.offset()) {
                        return unavailable("the log of channel '" + keys.channel() + "' no longer holds offset " + expect
                                + " (raise cluster.log-length or log-age)");
                    }
                    return expect > newest.offset() || page.size() < PAGE ? done(new LogRead.Entries(newest, entries))
                            : page(keys, newest, first, expect, entries, here);
                }, here);
    }

    private void execute(Runnable r) {
        try {
            executor.execute(r);
        } catch (RejectedExecutionException e) {
            throw new IllegalStateException("more than " + MAX_WAITING + " resumes wait for the cluster log");
        }
    }

    private static String value(List<KeyValue<String, String>> meta, int i) {
        return meta.get(i).getValueOrElse(null);
    }

    private static CompletionStage<LogRead> unavailable(String why) {
        return CompletableFuture.completedFuture(new LogRead.Unavailable(why));
    }

    private static CompletionStage<LogRead> done(LogRead r) {
        return CompletableFuture.completedFuture(r);
    }

    @Override
    public void close() {
        executor.shutdownNow();
    }
}
