package org.sigbridge.web;

import java.time.Duration;
import org.sigbridge.config.Secret;

/**
 * The {@code admin:} subsection: the admin API ({@code /admin/*}: channels, explain, routes, reload, drain).
 * {@code /healthz}, {@code /readyz} and {@code /metrics} are always served on the web port, and on the admin port
 * when one is set.
 *
 * @param enabled       serve the admin API; default true
 * @param token         when set, every admin request needs {@code Authorization: Bearer <token>} (from any
 *                      address); when not set, only loopback clients may use it. Write {@code ${SIGBRIDGE_ADMIN_TOKEN}}
 * @param host          interface of the separate admin port; default {@code 127.0.0.1}
 * @param port          a separate plain-HTTP port for the admin API; then the web port does not serve it.
 *                      {@code 0} picks a free one; default none (admin API on the web port)
 * @param drainDeadline how long {@code POST /admin/drain} keeps open sockets by default before closing them
 *                      with 1001; default 30s
 */
public record AdminSettings(Boolean enabled, Secret token, String host, Integer port, Duration drainDeadline) {

    public static final AdminSettings DEFAULTS = new AdminSettings(null, null, null, null, null);

    public AdminSettings {
        enabled = enabled == null || enabled;
        host = host == null ? "127.0.0.1" : host;
        drainDeadline = drainDeadline == null ? Duration.ofSeconds(30) : drainDeadline;
        if (port != null && (port < 0 || port > 65535)) {
            throw new IllegalArgumentException("admin.port must be between 0 and 65535 (0 picks a free port), not " + port);
        }
        if (token != null && token.reveal().length() < 16) {
            throw new IllegalArgumentException("admin.token must be at least 16 characters; make one with: openssl rand -hex 24");
        }
        if (drainDeadline.isNegative() || drainDeadline.compareTo(Duration.ofHours(24)) > 0) {
            throw new IllegalArgumentException("admin.drain-deadline must be between 0s and 24h");
        }
    }

    /** Whether the admin API has a port of its own. */
    public boolean separatePort() {
        return port != null;
    }
}
