package org.sigbridge.spi.cluster;

import java.util.List;
import java.util.Objects;
import org.sigbridge.envelope.Envelope;
import org.sigbridge.spi.Position;

/**
 * The answer to {@link ClusterChannel#readAfter}: what a shared channel's cluster log holds after a client's cut, for a
 * resume on another instance (docs/design.md §3.8, docs/cluster.md §2).
 */
public sealed interface LogRead {

    /**
     * One log entry.
     *
     * @param offset   its log offset
     * @param instance the node id of the instance that appended it
     * @param stamp    its history mark on that instance ({@code null} when that instance keeps no history)
     * @param envelope the envelope
     */
    record Entry(long offset, String instance, Position.Mark stamp, Envelope envelope) {
        public Entry {
            Objects.requireNonNull(instance, "instance");
            Objects.requireNonNull(envelope, "envelope");
        }
    }

    /**
     * Every entry after the cut, oldest first, up to {@code top}; every envelope this instance handed the channel
     * before the read was asked for is among them or was given up (its sender told).
     *
     * @param top the log's epoch and newest offset when it was read
     */
    record Entries(Position.Mark top, List<Entry> entries) implements LogRead {
        public Entries {
            Objects.requireNonNull(top, "top");
            entries = List.copyOf(entries);
        }
    }

    /**
     * The log cannot say: it began again (another epoch), it no longer holds the entry after the cut, or the engine
     * did not answer in time.
     *
     * @param reason for logs and the client's "not recovered" answer
     */
    record Unavailable(String reason) implements LogRead {
        public Unavailable {
            Objects.requireNonNull(reason, "reason");
        }
    }
}
