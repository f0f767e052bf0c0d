package org.sigbridge.web.spi;

import org.sigbridge.spi.AdapterStartException;

/**
 * One browser dialect (a wire protocol family) served by the web host on its one port. Registered in
 * {@code META-INF/services/org.sigbridge.web.spi.WebDialect} and found with {@link java.util.ServiceLoader}, as
 * adapters are ({@link org.sigbridge.spi.AdapterFactory}). The web adapter's {@code dialects} key lists the ones it
 * mounts; by default every one on the class path (conf/reference/web.md).
 *
 * <p>Implementations are stateless and thread-safe; what a mount creates (mailboxes, timers' tasks) lives in the
 * returned {@link DialectMounts} and ends with its {@link DialectMounts#onClose()}.
 */
public interface WebDialect {

    /**
     * The name in the {@code dialects} key, in logs and in {@code describe()}: lower case, e.g. {@code channels}.
     * Unique among the installed dialects.
     */
    String name();

    /**
     * Mounts this dialect on one web adapter. Called once per adapter by {@code WebAdapter.start} on the bridge's
     * thread, before Jetty starts; may schedule work on {@link WebHost#timer()} but must not block or do network I/O.
     *
     * @return the paths and handlers to mount; {@link DialectMounts#NONE} when the dialect's own settings turn it off
     * @throws AdapterStartException when the dialect cannot run with these settings (one line naming the fix)
     */
    DialectMounts mount(WebHost host) throws AdapterStartException;
}
