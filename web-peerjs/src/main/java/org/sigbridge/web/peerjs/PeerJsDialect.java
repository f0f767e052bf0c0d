package org.sigbridge.web.peerjs;

import java.time.Duration;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.eclipse.jetty.http.pathmap.PathSpec;
import org.sigbridge.web.PeerJsSettings;
import org.sigbridge.web.spi.DialectMounts;
import org.sigbridge.web.spi.HttpMount;
import org.sigbridge.web.spi.SocketMount;
import org.sigbridge.web.spi.WebDialect;
import org.sigbridge.web.spi.WebHost;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The PeerJS server, {@code peerjs}: with the default {@code peerjs:} settings it serves {@code GET /peerjs/id},
 * {@code GET /peerjs/peers} and the WebSocket {@code /peerjs?key=peerjs&id=…&token=…} (docs/peerjs.md). Stateless;
 * each mount owns a {@link PeerJsServer} and a sweep task on the host's timer. Not mounted with {@code peerjs.enabled:
 * false}, nor in {@code identity.mode: verified} (PeerJS pages carry no sigbridge token).
 */
public final class PeerJsDialect implements WebDialect {

    static final String NAME = "peerjs";

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public DialectMounts mount(WebHost host) {
        PeerJsSettings settings = host.settings().peerjs();
        if (!settings.enabled()) {
            return DialectMounts.NONE;
        }
        if (host.identity().verified()) {
            // PeerJS pages carry no sigbridge token, so verified identity could not vouch for their peers.
            // The logger is made here, not in a static field: ServiceLoader instantiates dialects while the config
            // is read, before the launcher has configured logging.
            Logger log = LoggerFactory.getLogger(PeerJsDialect.class);
            log.info("{}: PeerJS server not mounted: identity.mode is verified and PeerJS pages carry no sigbridge token",
                    host.adapter());
            return DialectMounts.NONE;
        }
        PeerJsServer server = new PeerJsServer(host, settings);
        String base = settings.path() + settings.key();
        PeerJsHttp http = new PeerJsHttp(server, settings);
        DialectMounts.Builder mounts = DialectMounts.builder()
                .socket(new SocketMount(PathSpec.from(settings.path() + "peerjs"), server::admit))
                .http(new HttpMount(PathSpec.from(base + "/id"), http.id()))
                .http(new HttpMount(PathSpec.from(base + "/peers"), http.peers()))
                .label(NAME);
        if (!settings.path().equals("/")) {
            // With path / the host's own page (the demo, static files) keeps /.
            mounts.http(new HttpMount(PathSpec.from(settings.path()), http.banner()));
        }
        Duration period = sweepPeriod(settings);
        ScheduledFuture<?> sweep = host.timer().scheduleWithFixedDelay(server::sweep, period.toMillis(), period.toMillis(),
                TimeUnit.MILLISECONDS);
        return mounts.onClose(() -> sweep.cancel(false)).build();
    }

    /** The reference sweeps queues every second and liveness every 300 ms; one sweep at the finer of both. */
    static Duration sweepPeriod(PeerJsSettings settings) {
        long finest = Math.min(settings.expireTimeout().toMillis(), settings.aliveTimeout().toMillis()) / 4;
        return Duration.ofMillis(Math.max(50, Math.min(300, finest)));
    }
}
