package org.sigbridge.config;

import java.util.Locale;
import java.util.Set;

/**
 * The {@code logging:} section. Applied by the launcher before the first log line.
 *
 * @param format {@code text} (default, readable) or {@code json} (one JSON object per line)
 * @param level  root level: {@code error}, {@code warn}, {@code info} (default), {@code debug}, {@code trace}.
 *               Message bodies (SDP, ICE) are logged only at debug and below.
 */
public record LoggingSettings(String format, String level) {

    // Declared before DEFAULTS: static initialisers run in order and the constructor reads LEVELS.
    private static final Set<String> LEVELS = Set.of("error", "warn", "info", "debug", "trace");
    public static final LoggingSettings DEFAULTS = new LoggingSettings(null, null);

    public LoggingSettings {
        format = format == null ? "text" : format.toLowerCase(Locale.ROOT);
        level = level == null ? "info" : level.toLowerCase(Locale.ROOT);
        if (!format.equals("text") && !format.equals("json")) {
            throw new IllegalArgumentException("format must be 'text' or 'json', not '" + format + "'");
        }
        if (!LEVELS.contains(level)) {
            throw new IllegalArgumentException("level must be one of error, warn, info, debug, trace; not '" + level + "'");
        }
    }
}
