package org.sigbridge.config;

import com.fasterxml.jackson.annotation.JsonCreator;
import java.util.Objects;

/**
 * A password or key from config. {@link #toString()} never shows it, so it cannot leak into a log line
 * or an exception message by accident; call {@link #reveal()} where the protocol needs it.
 */
public final class Secret {

    private final String value;

    private Secret(String value) {
        this.value = value;
    }

    @JsonCreator(mode = JsonCreator.Mode.DELEGATING)
    public static Secret of(String value) {
        Objects.requireNonNull(value, "value");
        if (value.isEmpty()) {
            throw new IllegalArgumentException("secret is empty; set it, usually from the environment: ${NAME}");
        }
        return new Secret(value);
    }

    /** The secret itself, for the one call that sends it. */
    public String reveal() {
        return value;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Secret s && s.value.equals(value);
    }

    @Override
    public int hashCode() {
        return value.hashCode();
    }

    @Override
    public String toString() {
        return "******";
    }
}
