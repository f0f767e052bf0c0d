package org.sigbridge.xmpp.config;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.Optional;

/** {@code body:} whether outgoing groupchat messages carry a {@code <body>} for native clients and bots. */
public enum BodyMode {
    /** A {@code <body>} holding the same JSON text as the {@code signal} element (the default). */
    @JsonProperty("json") JSON,
    /** No {@code <body>}: only sigbridge instances read the message; clients show nothing. */
    @JsonProperty("omit") OMIT;

    /** Reads a route option or config value ({@code json} or {@code omit}). */
    public static Optional<BodyMode> parse(String text) {
        return switch (text) {
            case "json" -> Optional.of(JSON);
            case "omit" -> Optional.of(OMIT);
            default -> Optional.empty();
        };
    }

    @Override
    public String toString() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
