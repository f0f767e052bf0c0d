package org.sigbridge.metrics;

import java.util.ServiceLoader;

/**
 * Makes a bridge's {@link Metrics}; found with {@link ServiceLoader} (as adapter factories are), so a bridge with the
 * ops module on its class path exports its metrics and an embedding host without it gets {@link Metrics#none()}.
 * Called once per bridge by {@link org.sigbridge.SigBridge#create}, on the caller's thread.
 */
public interface MetricsProvider {

    /** A fresh, empty {@link Metrics} for one bridge (several bridges in one JVM do not mix). */
    Metrics create();

    /** The first installed provider's metrics, else {@link Metrics#none()}. */
    static Metrics installed() {
        return ServiceLoader.load(MetricsProvider.class).findFirst().map(MetricsProvider::create).orElseGet(Metrics::none);
    }
}
