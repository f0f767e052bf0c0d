package org.sigbridge.spi;

import java.util.List;
import java.util.Objects;

/** The outcome of {@link AdapterContext#reloadRoutes}: a value, never an exception. */
public sealed interface RouteReload {

    /**
     * The new routing table is in effect for channels that open from now on; open channels keep their links.
     *
     * @param source where the routes were read from
     * @param table  the new table as {@code pattern -> target} lines
     */
    record Reloaded(String source, List<String> table) implements RouteReload {
        public Reloaded {
            Objects.requireNonNull(source, "source");
            table = List.copyOf(table);
        }
    }

    /**
     * Nothing changed: the old table stays.
     *
     * @param reason one line, e.g. the {@code ConfigException} message with file, line and key
     */
    record Refused(String reason) implements RouteReload {
        public Refused {
            Objects.requireNonNull(reason, "reason");
        }
    }
}
