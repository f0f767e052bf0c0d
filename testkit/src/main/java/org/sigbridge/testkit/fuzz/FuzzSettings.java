package org.sigbridge.testkit.fuzz;

import java.util.OptionalLong;
import java.util.Properties;
import java.util.concurrent.ThreadLocalRandom;

/**
 * The run-wide knobs of every fuzz property: a seed that replaces each property's own ({@value #SEED}: a decimal
 * seed from a failure message to replay it, or {@code random} for a fresh one) and a multiplier of every
 * property's tries and deadline ({@value #SCALE}, e.g. {@code 10} for a long run, {@code 0.1} for a quick one).
 * Both are read from system properties, which surefire passes on from {@code mvn -D...}.
 *
 * @param seed  the seed every property uses instead of its own, if set
 * @param scale how many times the tries (and the run's deadline) a property names; positive and finite
 */
public record FuzzSettings(OptionalLong seed, double scale) {

    /** The system property that names the seed to replay. */
    public static final String SEED = "sigbridge.fuzz.seed";
    /** The system property that multiplies every property's tries. */
    public static final String SCALE = "sigbridge.fuzz.scale";

    /** Validates the scale. */
    public FuzzSettings {
        if (!(scale > 0) || Double.isInfinite(scale)) {
            throw new IllegalArgumentException(SCALE + " must be a positive number, got " + scale);
        }
    }

    /** The settings named by the JVM's system properties; the defaults are no seed and scale 1. */
    public static FuzzSettings fromSystemProperties() {
        return from(System.getProperties());
    }

    /** The settings named in {@code properties}; an unreadable value fails with the property's name. */
    public static FuzzSettings from(Properties properties) {
        String seed = properties.getProperty(SEED, "").trim();
        String scale = properties.getProperty(SCALE, "1").trim();
        OptionalLong chosen;
        try {
            chosen = seed.isEmpty() ? OptionalLong.empty()
                    : seed.equals("random") ? OptionalLong.of(ThreadLocalRandom.current().nextLong())
                    : OptionalLong.of(Long.parseLong(seed));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(SEED + " must be a decimal long or 'random', got '" + seed + "'", e);
        }
        try {
            return new FuzzSettings(chosen, Double.parseDouble(scale));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(SCALE + " must be a positive number, got '" + scale + "'", e);
        }
    }

    /** {@code base} times the scale, at least one. */
    public int scaled(int base) {
        return (int) Math.max(1, Math.min(Integer.MAX_VALUE, Math.round(base * scale)));
    }
}
