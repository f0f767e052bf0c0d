package org.sigbridge.routing;

import java.util.Map;
import java.util.Objects;

/** Where a route sends a channel. */
public sealed interface RouteTarget {

    /** Kept on this bridge's in-memory hub. */
    record Local() implements RouteTarget {
        @Override
        public String toString() {
            return "local";
        }
    }

    /** Refused: subscribing or publishing gets {@code not_permitted}. */
    record Deny() implements RouteTarget {
        @Override
        public String toString() {
            return "deny";
        }
    }

    /**
     * Linked to a back-end adapter.
     *
     * @param adapter  the adapter instance name
     * @param template the target template, e.g. {@code {channel}@conference.example.org}; {@code {name}}
     *                 placeholders are filled from the match, escaped as the adapter requires
     * @param options  adapter-specific route options (validated by the adapter's factory)
     */
    record Leg(String adapter, String template, Map<String, String> options) implements RouteTarget {
        public Leg {
            Objects.requireNonNull(adapter, "adapter");
            template = template == null ? "" : template;
            options = options == null ? Map.of() : Map.copyOf(options);
        }

        /** An option's value, or {@code fallback} when not set. */
        public String option(String key, String fallback) {
            return options.getOrDefault(key, fallback);
        }

        @Override
        public String toString() {
            return adapter + (template.isEmpty() ? "" : " " + template) + (options.isEmpty() ? "" : " " + options);
        }
    }
}
