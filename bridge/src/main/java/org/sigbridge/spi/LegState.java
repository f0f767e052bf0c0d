package org.sigbridge.spi;

import java.util.Objects;

/**
 * An adapter's upstream state, reported with {@link AdapterContext#legState}: logged on change and used
 * by readiness.
 *
 * @param adapter the adapter instance
 * @param status  where it stands
 * @param detail  one line: what it is doing or why it is not ready
 */
public record LegState(String adapter, Status status, String detail) {

    public enum Status {
        /** Connecting or registering for the first time. */
        STARTING,
        /** Connected (and registered/joined) as configured. */
        READY,
        /** Lost; reconnecting with backoff. */
        DOWN,
        /** Closed by the bridge. */
        CLOSED
    }

    public LegState {
        Objects.requireNonNull(adapter, "adapter");
        Objects.requireNonNull(status, "status");
        Objects.requireNonNull(detail, "detail");
    }
}
