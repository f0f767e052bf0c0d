package org.sigbridge.bench;

import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

/**
 * {@code --key value} and {@code --flag} options. Unknown keys are reported by {@link #rejectUnused()} so a
 * typo fails instead of silently running the default.
 */
public final class CliArgs {
    private final Map<String, String> values = new HashMap<>();
    private final Set<String> used = new HashSet<>();

    public CliArgs(String[] args, int from, Set<String> flags) {
        for (int i = from; i < args.length; i++) {
            String arg = args[i];
            if (!arg.startsWith("--")) {
                throw new IllegalArgumentException("expected --option, got '" + arg + "'");
            }
            String key = arg.substring(2);
            int eq = key.indexOf('=');
            if (eq >= 0) {
                values.put(key.substring(0, eq), key.substring(eq + 1));
            } else if (flags.contains(key)) {
                values.put(key, "true");
            } else if (i + 1 < args.length) {
                values.put(key, args[++i]);
            } else {
                throw new IllegalArgumentException("--" + key + " needs a value");
            }
        }
    }

    public String string(String key, String fallback) {
        used.add(key);
        return values.getOrDefault(key, fallback);
    }

    public int integer(String key, int fallback) {
        String v = string(key, null);
        return v == null ? fallback : Integer.parseInt(v.replace("_", ""));
    }

    public double decimal(String key, double fallback) {
        String v = string(key, null);
        return v == null ? fallback : Double.parseDouble(v);
    }

    public boolean flag(String key) {
        return Boolean.parseBoolean(string(key, "false"));
    }

    /** {@code 500ms}, {@code 5s}, {@code 2m} or a bare number of seconds. */
    public Duration duration(String key, Duration fallback) {
        String v = string(key, null);
        return v == null ? fallback : parseDuration(v);
    }

    public static Duration parseDuration(String v) {
        String t = v.trim();
        if (t.endsWith("ms")) {
            return Duration.ofMillis(Long.parseLong(t.substring(0, t.length() - 2)));
        }
        if (t.endsWith("s")) {
            return Duration.ofMillis(Math.round(Double.parseDouble(t.substring(0, t.length() - 1)) * 1000));
        }
        if (t.endsWith("m")) {
            return Duration.ofSeconds(Long.parseLong(t.substring(0, t.length() - 1)) * 60);
        }
        return Duration.ofMillis(Math.round(Double.parseDouble(t) * 1000));
    }

    /** @throws IllegalArgumentException naming every option that was given but never read */
    public void rejectUnused() {
        Set<String> unused = new HashSet<>(values.keySet());
        unused.removeAll(used);
        if (!unused.isEmpty()) {
            throw new IllegalArgumentException("unknown option(s): --" + String.join(", --", unused));
        }
    }
}
