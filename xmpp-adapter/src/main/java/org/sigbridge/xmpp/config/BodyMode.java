package org.sigbridge.xmpp.config;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.Optional;

/**
 * {@code body:} where an outgoing message carries the envelope's JSON text (docs/design.md §4.2). Whatever the mode,
 * the JSON travels in full at least once and a receiver reads every form: the {@code signal} element's text when it
 * has one, else the {@code <body>}.
 */
public enum BodyMode {
    /**
     * The JSON once, in {@code <body>}, readable by any client or bot; the {@code signal} element carries only
     * attributes (the default).
     */
    @JsonProperty("json") JSON,
    /** No {@code <body>}: the JSON once, as the {@code signal} element's text; clients show nothing. */
    @JsonProperty("omit") OMIT,
    /**
     * The JSON twice, in {@code <body>} and as the {@code signal} element's text: the form sigbridge sent before the
     * JSON travelled once, for rooms shared with such older instances (they read only the element's text).
     */
    @JsonProperty("both") BOTH;

    /** Reads a route option or config value ({@code json}, {@code omit} or {@code both}). */
    public static Optional<BodyMode> parse(String text) {
        return switch (text) {
            case "json" -> Optional.of(JSON);
            case "omit" -> Optional.of(OMIT);
            case "both" -> Optional.of(BOTH);
            default -> Optional.empty();
        };
    }

    @Override
    public String toString() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
