package org.sigbridge.web.spi;

import java.util.Set;
import java.util.concurrent.ScheduledExecutorService;
import java.util.function.Supplier;
import org.sigbridge.spi.AdapterContext;
import org.sigbridge.web.WebSettings;
import org.sigbridge.web.WebStats;
import org.sigbridge.web.identity.IdentityGate;
import org.sigbridge.web.limit.OriginPolicy;
import org.sigbridge.web.session.SessionLimits;
import org.sigbridge.web.session.SessionRegistry;

/**
 * The web host's shared machinery, handed to every {@link WebDialect#mount}. What a dialect gets for free, besides
 * what is listed here: the Origin gate, per-address limit and drain refusal run before its
 * {@link SocketMount.Acceptor} sees an upgrade; event loops and corked writes serve its WebSockets (the host's
 * transport and {@link org.sigbridge.web.session.OutboundQueue}); its connections are pinged, drained, counted by
 * dialect name ({@code sigbridge_web_connections}) and closed with 1001 at shutdown by the host's registry.
 *
 * @param adapter          the web adapter's name (for logs, {@link org.sigbridge.envelope.Origin}s and MDC)
 * @param hub              the hub's operations
 * @param settings         the adapter's settings
 * @param stats            the adapter's counters ({@code sigbridge_web_*})
 * @param origins          the {@code allowed-origins} policy, for HTTP requests a dialect serves itself
 * @param limits           per-connection limits: rate, channels, outbound queue
 * @param identity         verified identity: token checks and per-connection {@code SenderGuard}s
 * @param registry         the adapter's open connections of every dialect. The host's WebSocket transport registers
 *                         its own; a dialect whose connections are not those (a polling session, later upgraded)
 *                         {@link SessionRegistry#add adds} each one when it opens and
 *                         {@link SessionRegistry#remove removes} it when it closes, and so gets pings, drain, the
 *                         1001 close at shutdown and the per-dialect count; its per-address limit is
 *                         {@link SessionRegistry#addresses()}
 * @param drain            whether the adapter drains ({@code POST /admin/drain})
 * @param timer            the adapter's one timer thread; tasks must be short and never block
 * @param enabledDialects  every dialect name this adapter mounts, this one included
 * @param connectionIds    the next connection id ({@code <adapter>-<n>}), shared by every dialect
 */
public record WebHost(String adapter, AdapterContext hub, WebSettings settings, WebStats stats, OriginPolicy origins,
                      SessionLimits limits, IdentityGate identity, SessionRegistry registry, DrainState drain,
                      ScheduledExecutorService timer,
                      Set<String> enabledDialects, Supplier<String> connectionIds) {

    public WebHost {
        enabledDialects = Set.copyOf(enabledDialects);
    }

    /** Whether the adapter mounts the dialect named {@code name}. */
    public boolean enabled(String name) {
        return enabledDialects.contains(name);
    }
}
