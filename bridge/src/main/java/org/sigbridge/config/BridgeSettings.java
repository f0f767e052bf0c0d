package org.sigbridge.config;

import java.time.Duration;

/**
 * The {@code bridge:} section.
 *
 * @param name          this instance's name, in logs and in XMPP/SIP identities; default {@code sigbridge}
 * @param defaultRoute  {@code local} (default) or {@code deny}: what happens to channels no route matches
 * @param shutdownGrace how long a stop waits for clients and upstream queues to drain; default 5s
 * @param ops           the operations endpoints on a port of their own, or {@code null} (the default: only where a
 *                      front end mounts them)
 * @param history       what each channel keeps for clients that resume (docs/design.md §3.8); default 100 envelopes,
 *                      2 minutes
 */
public record BridgeSettings(String name, String defaultRoute, Duration shutdownGrace, OpsSettings ops, HistorySettings history) {

    public static final BridgeSettings DEFAULTS = new BridgeSettings(null, null, null, null, null);

    /** Settings without a {@code history} section (the defaults). */
    public BridgeSettings(String name, String defaultRoute, Duration shutdownGrace, OpsSettings ops) {
        this(name, defaultRoute, shutdownGrace, ops, null);
    }

    public BridgeSettings {
        name = name == null ? "sigbridge" : name;
        defaultRoute = defaultRoute == null ? "local" : defaultRoute;
        shutdownGrace = shutdownGrace == null ? Duration.ofSeconds(5) : shutdownGrace;
        history = history == null ? HistorySettings.DEFAULTS : history;
        if (name.isBlank() || !name.matches("[A-Za-z0-9._-]+")) {
            throw new IllegalArgumentException("name '" + name + "' must be letters, digits, '.', '_' or '-'");
        }
        if (!defaultRoute.equals("local") && !defaultRoute.equals("deny")) {
            throw new IllegalArgumentException("default-route must be 'local' or 'deny', not '" + defaultRoute + "'");
        }
        if (shutdownGrace.isNegative() || shutdownGrace.compareTo(Duration.ofMinutes(10)) > 0) {
            throw new IllegalArgumentException("shutdown-grace must be between 0s and 10m");
        }
    }
}
