package org.sigbridge.spi;

import java.util.List;
import org.sigbridge.routing.RouteTarget;

/**
 * Creates adapters of one type. Registered in {@code META-INF/services/org.sigbridge.spi.AdapterFactory}
 * and found with {@link java.util.ServiceLoader}. Implementations are stateless and thread-safe.
 */
public interface AdapterFactory {

    /** The {@code type} value in config, e.g. {@code web}, {@code xmpp}, {@code sip}. */
    String type();

    /** The record the adapter's config section binds to. */
    Class<? extends AdapterSettings> settingsType();

    /**
     * Checks a route that sends channels to an adapter of this type: its target template and options.
     * Called at config time, before any I/O.
     *
     * @return problems, each one line naming the fix; empty when the route is good. A factory whose
     *         adapters cannot be route targets returns a problem saying so.
     */
    default List<String> validateRoute(AdapterSettings settings, RouteTarget.Leg route) {
        return List.of("adapters of type '" + type() + "' cannot be route targets");
    }

    /** A new, unstarted adapter. Must not do I/O. */
    Adapter create(String name, AdapterSettings settings);
}
