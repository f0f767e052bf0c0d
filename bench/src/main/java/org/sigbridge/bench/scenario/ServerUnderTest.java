package org.sigbridge.bench.scenario;

import java.net.URI;
import java.util.List;

import org.sigbridge.bench.load.WireDialect;

/**
 * A server the generator can load: sigbridge, the Node relay, and later the XMPP and SIP paths (a
 * sigbridge whose routes go through Prosody or Kamailio). Owned by the scenario that starts it.
 */
public interface ServerUnderTest extends AutoCloseable {
    /** Short name used in tables: {@code sigbridge}, {@code node-ws}. */
    String name();

    /** Starts the server and blocks until its port accepts. */
    void start();

    /** The server's process id, for CPU and RSS sampling. */
    long pid();

    /**
     * Processes between the generator and {@link #pid()} whose CPU each run reports too (the bridges of a path, whose
     * {@link #pid()} is the upstream server); none by default.
     */
    default List<Long> sidePids() {
        return List.of();
    }

    /** The URL clients of this dialect connect to. */
    URI url(WireDialect dialect);

    /** Every URL clients connect to; the members of a channel are spread over them. */
    default List<URI> urls(WireDialect dialect) {
        return List.of(url(dialect));
    }

    /** Stops the server (SIGTERM, then SIGKILL after a bound). Idempotent. */
    @Override
    void close();
}
