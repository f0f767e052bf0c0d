package org.sigbridge.config;

/**
 * The optional {@code bridge.ops:} section: the operations endpoints ({@code /healthz}, {@code /readyz},
 * {@code /metrics}, {@code /admin/*}) on a port of their own, served by the ops module. Without it they are served
 * only where a front end mounts them (the web adapter's port and its {@code admin.port}); with it, on this port as
 * well, so a bridge with no web adapter (XMPP and SIP legs only, or an embedding host) can be probed and scraped.
 *
 * @param host  the address to bind; default {@code 127.0.0.1}
 * @param port  the port; 0 picks a free one
 * @param token bearer token for {@code /admin/*} on this port, at least 16 characters; without it only loopback
 *              clients may use {@code /admin/*}
 */
public record OpsSettings(String host, Integer port, Secret token) {

    public OpsSettings {
        host = host == null ? "127.0.0.1" : host;
        if (port == null) {
            throw new IllegalArgumentException("ops.port is required; 0 picks a free port");
        }
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("ops.port must be between 0 and 65535 (0 picks a free port), not " + port);
        }
        if (token != null && token.reveal().length() < 16) {
            throw new IllegalArgumentException("ops.token must be at least 16 characters; make one with: openssl rand -hex 24");
        }
    }
}
