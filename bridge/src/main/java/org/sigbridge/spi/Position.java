package org.sigbridge.spi;

import java.util.Objects;
import java.util.Optional;

/**
 * Where a client stands in a channel (docs/design.md §3.8): the epoch and offset of the envelope in this instance's
 * history of the channel and, on a shared channel of a cluster (docs/cluster.md §2), the cut of the channel's cluster
 * log it had reached. Offsets of one epoch start at 1 and grow by one per envelope the channel carried; a history that
 * began again (the bridge restarted, the history expired) has a new epoch, so a position of the old one can be told
 * apart and is answered "not recovered". Clients keep the position of the last envelope they got and present it when
 * they reconnect; its wire form ({@link #wire()}) is opaque to them.
 *
 * <p>The cluster part is a small vector: {@code log} says that every log entry up to its offset was delivered (or was
 * not owed), the history part says which of the current instance's own envelopes were delivered (an instance hands its
 * own envelopes to its subscribers before the log numbers them, in the order it appends them), and {@code prior} does
 * the same for the instance the client resumed from, while that instance may still append envelopes the client has.
 * {@code stamps} does it for the envelopes of other instances that a log which began again (a new epoch) may still
 * receive a second time, appended again by their instance (the tail replay, docs/cluster.md §6): the log cut of the new
 * log cannot tell those from new ones, so for each such instance the position names the highest stamp (the envelope's
 * mark in that instance's history, in which order the instance appends) the client has, until the cut passes it.
 *
 * @param epoch  the history's epoch: 1 to 32 characters of {@code [A-Za-z0-9_]}
 * @param offset the envelope's offset, 0 for "before the first"
 * @param log    the cluster log cut ({@link Mark#NO_LOG} when the channel had no log yet), or {@code null} when the
 *               channel is not shared or its log position is not known yet
 * @param prior  another instance's history mark still needed to tell what the client has, or {@code null}
 * @param stamps other instances' history marks up to which the client has their envelopes, while the log cut alone
 *               cannot say it (at most {@link #MAX_STAMPS}, one per history epoch; empty almost always)
 */
public record Position(String epoch, long offset, Mark log, Mark prior, java.util.List<Mark> stamps) {

    /** At most this many {@link #stamps} travel in a position (the wire form stays under {@link #MAX_WIRE} characters). */
    public static final int MAX_STAMPS = 8;
    /** The longest wire form {@link #parse} reads. */
    public static final int MAX_WIRE = 512;

    /**
     * An epoch and an offset: a history's or a cluster log's.
     *
     * @param epoch  1 to 32 characters of {@code [A-Za-z0-9_]}
     * @param offset 0 or more
     */
    public record Mark(String epoch, long offset) {

        /** The cut of a channel that had no log when its position was taken: every entry of its first log is new. */
        public static final Mark NO_LOG = new Mark("_", 0);

        public Mark {
            Objects.requireNonNull(epoch, "epoch");
            if (!validEpoch(epoch)) {
                throw new IllegalArgumentException("epoch must be 1 to 32 letters, digits or '_'");
            }
            if (offset < 0) {
                throw new IllegalArgumentException("offset must not be negative");
            }
        }

        String wire() {
            return epoch + "-" + offset;
        }

        static Mark parse(String wire) {
            int dash = wire.lastIndexOf('-');
            if (dash < 1 || dash == wire.length() - 1) {
                throw new IllegalArgumentException("no dash");
            }
            return new Mark(wire.substring(0, dash), Long.parseLong(wire.substring(dash + 1)));
        }
    }

    public Position {
        Objects.requireNonNull(epoch, "epoch");
        if (!validEpoch(epoch)) {
            throw new IllegalArgumentException("epoch must be 1 to 32 letters, digits or '_'");
        }
        if (offset < 0) {
            throw new IllegalArgumentException("offset must not be negative");
        }
        if (prior != null && log == null) {
            throw new IllegalArgumentException("a prior mark needs a log cut");
        }
        stamps = stamps == null ? java.util.List.of() : java.util.List.copyOf(stamps);
        if (!stamps.isEmpty() && log == null) {
            throw new IllegalArgumentException("stamps need a log cut");
        }
        if (stamps.size() > MAX_STAMPS) {
            throw new IllegalArgumentException("at most " + MAX_STAMPS + " stamps");
        }
    }

    /** A position without {@link #stamps}. */
    public Position(String epoch, long offset, Mark log, Mark prior) {
        this(epoch, offset, log, prior, java.util.List.of());
    }

    /** A position on one instance, without cluster part. */
    public Position(String epoch, long offset) {
        this(epoch, offset, null, null);
    }

    /** This instance's history mark. */
    public Mark history() {
        return new Mark(epoch, offset);
    }

    /** The same position with another cluster part. */
    public Position withCluster(Mark log, Mark prior) {
        return new Position(epoch, offset, log, prior, log == null ? java.util.List.of() : stamps);
    }

    /**
     * The wire form: {@code <epoch>-<offset>} on one instance; on a shared channel of a cluster
     * {@code <epoch>-<offset>.<log epoch>-<log offset>} and, while needed, {@code .<prior epoch>-<prior offset>}, then
     * {@code ~<epoch>-<offset>} for each of the {@link #stamps}.
     */
    public String wire() {
        String out = epoch + "-" + offset;
        if (log != null) {
            out += "." + log.wire();
            if (prior != null) {
                out += "." + prior.wire();
            }
            for (Mark stamp : stamps) {
                out += "~" + stamp.wire();
            }
        }
        return out;
    }

    /** Reads a wire form; empty for anything else (a client's offset is untrusted input). Pure. */
    public static Optional<Position> parse(String wire) {
        if (wire == null || wire.length() > MAX_WIRE) {
            return Optional.empty();
        }
        String[] vector = wire.split("~", -1);
        String[] parts = vector[0].split("\\.", -1);
        if (parts.length > 3 || vector.length - 1 > MAX_STAMPS) {
            return Optional.empty();
        }
        try {
            Mark own = Mark.parse(parts[0]);
            Mark log = parts.length > 1 ? Mark.parse(parts[1]) : null;
            Mark prior = parts.length > 2 ? Mark.parse(parts[2]) : null;
            java.util.List<Mark> stamps = new java.util.ArrayList<>(vector.length - 1);
            for (int i = 1; i < vector.length; i++) {
                stamps.add(Mark.parse(vector[i]));
            }
            return Optional.of(new Position(own.epoch(), own.offset(), log, prior, stamps));
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }

    private static boolean validEpoch(String epoch) {
        int n = epoch.length();
        if (n < 1 || n > 32) {
            return false;
        }
        for (int i = 0; i < n; i++) {
            char c = epoch.charAt(i);
            if (!(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '_')) {
                return false;
            }
        }
        return true;
    }
}
