package org.sigbridge.spi;

import java.util.Objects;
import java.util.Optional;

/**
 * Where an envelope stands in its channel's history (docs/design.md §3.8): the history's epoch and the envelope's
 * offset in it. Offsets of one epoch start at 1 and grow by one per envelope the channel carried; a history that began
 * again (the bridge restarted, the history expired) has a new epoch, so a position of the old one can be told apart
 * and is answered "not recovered". Clients keep the position of the last envelope they got and present it when they
 * reconnect; its wire form ({@link #wire()}) is opaque to them.
 *
 * @param epoch  the history's epoch: 1 to 32 characters of {@code [A-Za-z0-9_]}
 * @param offset the envelope's offset, 0 for "before the first"
 */
public record Position(String epoch, long offset) {

    public Position {
        Objects.requireNonNull(epoch, "epoch");
        if (!epoch.matches("[A-Za-z0-9_]{1,32}")) {
            throw new IllegalArgumentException("epoch must be 1 to 32 letters, digits or '_'");
        }
        if (offset < 0) {
            throw new IllegalArgumentException("offset must not be negative");
        }
    }

    /** The wire form: {@code <epoch>-<offset>}. */
    public String wire() {
        return epoch + "-" + offset;
    }

    /** Reads a wire form; empty for anything else (a client's offset is untrusted input). Pure. */
    public static Optional<Position> parse(String wire) {
        if (wire == null || wire.length() > 64) {
            return Optional.empty();
        }
        int dash = wire.lastIndexOf('-');
        if (dash < 1 || dash == wire.length() - 1) {
            return Optional.empty();
        }
        try {
            return Optional.of(new Position(wire.substring(0, dash), Long.parseLong(wire.substring(dash + 1))));
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }
}
