package org.sigbridge.config;

import java.time.Duration;

/**
 * The checks every settings record repeats, with one wording: a default for an absent value, then a range.
 * Each throws {@link IllegalArgumentException} naming the key and the fix; the config loader adds the
 * file, line and key path. Pure functions, for the compact constructors of settings records.
 */
public final class Check {

    private Check() {
    }

    /** {@code null} for an absent or blank value (what {@code ${VAR:-}} gives), else the value trimmed. */
    public static String blankToNull(String value) {
        return value == null || value.isBlank() ? null : value.trim();
    }

    /** {@code value} if {@code min ≤ value ≤ max}; else "KEY must be between MIN and MAX, not VALUE". */
    public static int range(String key, int value, int min, int max) {
        if (value < min || value > max) {
            throw new IllegalArgumentException(key + " must be between " + min + " and " + max + ", not " + value);
        }
        return value;
    }

    /** {@code fallback} for an absent value, then {@link #range(String, int, int, int)}. */
    public static int range(String key, Integer value, int fallback, int min, int max) {
        return range(key, value == null ? fallback : value, min, max);
    }

    /** {@code fallback} for an absent value; else the value if at least {@code min}: "KEY must be at least MIN, not VALUE". */
    public static int atLeast(String key, Integer value, int fallback, int min) {
        int v = value == null ? fallback : value;
        if (v < min) {
            throw new IllegalArgumentException(key + " must be at least " + min + ", not " + v);
        }
        return v;
    }

    /** {@code fallback} for an absent value; else the value if above zero: "KEY must be above 0s, e.g. FALLBACK". */
    public static Duration positive(String key, Duration value, Duration fallback) {
        Duration d = value == null ? fallback : value;
        if (d.isNegative() || d.isZero()) {
            throw new IllegalArgumentException(key + " must be above 0s, e.g. " + DurationText.format(fallback));
        }
        return d;
    }

    /** A present value above zero: "KEY must be above 0s, e.g. EXAMPLE". */
    public static Duration positive(String key, Duration value, String example) {
        if (value == null || value.isNegative() || value.isZero()) {
            throw new IllegalArgumentException(key + " must be above 0s, e.g. " + example);
        }
        return value;
    }

    /**
     * {@code fallback} for an absent value; else the value if zero or above, where zero turns the feature off:
     * "KEY must be 0s (off) or positive, e.g. FALLBACK".
     */
    public static Duration zeroOrPositive(String key, Duration value, Duration fallback) {
        Duration d = value == null ? fallback : value;
        if (d.isNegative()) {
            throw new IllegalArgumentException(key + " must be 0s (off) or positive, e.g. " + DurationText.format(fallback));
        }
        return d;
    }
}
