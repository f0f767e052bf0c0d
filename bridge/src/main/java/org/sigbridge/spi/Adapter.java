package org.sigbridge.spi;

import java.util.List;
import java.util.Optional;

/**
 * One configured adapter instance: a web front door, an XMPP or a SIP leg.
 *
 * <p>Lifecycle: created by its {@link AdapterFactory}; {@link #start} once; {@link #close} once or more.
 * The bridge starts back-end adapters (those with a {@link #backend()}) before front ends, each in
 * config order, and closes them in reverse, so a browser never reaches a channel whose leg is not there.
 */
public interface Adapter extends AutoCloseable {

    /** The instance name from config, e.g. {@code web}; also the {@code adapter} of origins it creates. */
    String name();

    /**
     * Binds sockets and starts background work. Called once, on the bridge's start-up thread.
     *
     * <p>A front end returns once it is listening. A back end must not wait for its remote server: it
     * starts connecting in the background and reports progress with {@link AdapterContext#legState}.
     *
     * @throws AdapterStartException with a one-line, operator-facing reason if it cannot start (port in
     *                               use, unreadable key file); the bridge then closes what it started and exits
     */
    void start(AdapterContext context) throws AdapterStartException;

    /**
     * Lines for the start-up log saying what this adapter serves, e.g. {@code web: listening on
     * http://127.0.0.1:8888/}. Called after {@link #start} returned.
     */
    default List<String> describe() {
        return List.of();
    }

    /** The routing capability of a back-end adapter; empty for front ends. */
    default Optional<Backend> backend() {
        return Optional.empty();
    }

    /**
     * Stops taking new clients or requests and waits up to {@code grace} for what is in flight (outbound
     * queues, pending upstream envelopes) to drain. Called on every adapter, front ends first, before any
     * {@link #close}. Default: nothing to drain.
     */
    default void drain(java.time.Duration grace) {
    }

    /**
     * Stops accepting new work and releases every thread and socket it owns, after draining what is
     * in flight for at most its configured bound. Idempotent; may block up to that bound; never throws.
     * After it returns the adapter calls nothing on its context.
     */
    @Override
    void close();
}
