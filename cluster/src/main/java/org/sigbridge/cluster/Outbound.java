package org.sigbridge.cluster;

import org.sigbridge.cluster.wire.ChannelKeys;
import org.sigbridge.envelope.Envelope;

/** What waits in the {@link Appender}'s queue: an envelope to append, or a membership change to share. */
sealed interface Outbound {

    /** When it was queued ({@link System#nanoTime()}), for the queue's time limit. */
    long queuedAtNanos();

    /** What an append script sends: a fresh envelope ({@link Append}) or a retained one again ({@link Replay}). */
    sealed interface Frame extends Outbound {
        ChannelKeys keys();

        /** The envelope id (its idempotency key). */
        String id();

        /** The encoded frame. */
        String body();

        /** The channel's lagging-replica guard. */
        Fence fence();

        /** The channel's tail, which keeps the frame once Redis answered it. */
        ReplayTail tail();
    }

    /**
     * An envelope accepted here, with its encoded body, its channel's lagging-replica guard and the tail it is retained
     * in once Redis answered it; {@code target} is the instance holding its recipient when it is addressed to another
     * instance's participant (its outcome is then tracked by the {@link AddressedLedger}), else {@code null}.
     */
    record Append(ChannelKeys keys, Envelope envelope, String body, Fence fence, ReplayTail tail, String target, long queuedAtNanos)
            implements Frame {

        @Override
        public String id() {
            return envelope.id();
        }
    }

    /**
     * Entry {@code entry} of {@code tail} (its envelope id and encoded frame) appended again into the channel's new
     * epoch (the tail replay, docs/cluster.md §6). Never reported to its sender (Redis answered it once); one given up
     * for age leaves its tail to be replayed again.
     */
    record Replay(ReplayTail tail, long entry, String id, String body, long queuedAtNanos) implements Frame {

        @Override
        public ChannelKeys keys() {
            return tail.keys();
        }

        @Override
        public Fence fence() {
            return tail.fence();
        }
    }

    /**
     * Not sent: completed (with {@code true}) when the append thread reaches it, so every item queued before it is
     * appended or given up; with {@code false} when it is given up itself. For resumes (docs/design.md §3.8).
     */
    record Barrier(java.util.concurrent.CompletableFuture<Boolean> reached, long queuedAtNanos) implements Outbound {
    }

    /** A local participant joined ({@code J}) or left ({@code L}). */
    record Member(ChannelKeys keys, char kind, String field, String body, long queuedAtNanos) implements Outbound {
    }
}
