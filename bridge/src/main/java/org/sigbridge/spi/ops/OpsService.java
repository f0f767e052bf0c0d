package org.sigbridge.spi.ops;

import java.util.List;
import java.util.ServiceLoader;
import org.sigbridge.config.OpsSettings;
import org.sigbridge.spi.AdapterStartException;

/**
 * Serves the operations endpoints on a port of their own ({@code bridge.ops} in config); found with
 * {@link ServiceLoader}, provided by the ops module. The bridge calls {@link #start} on its own thread after its
 * adapters started, and closes the returned server before it drains them.
 */
public interface OpsService {

    /** A running ops server. */
    interface Running extends AutoCloseable {
        /** The port actually bound. */
        int port();

        /** What it serves where, for start-up logs. */
        List<String> describe();

        /** Stops serving. Idempotent. */
        @Override
        void close();
    }

    /**
     * Binds {@code settings.host():settings.port()} and serves {@code ops} there.
     *
     * @throws AdapterStartException if the port cannot be bound (the message says which and how to fix it)
     */
    Running start(OpsView ops, OpsSettings settings) throws AdapterStartException;
}
