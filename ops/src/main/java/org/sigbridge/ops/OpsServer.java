package org.sigbridge.ops;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.thread.QueuedThreadPool;
import org.eclipse.jetty.util.thread.ScheduledExecutorScheduler;
import org.sigbridge.config.OpsSettings;
import org.sigbridge.spi.AdapterStartException;
import org.sigbridge.spi.ops.OpsService;
import org.sigbridge.spi.ops.OpsView;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The operations endpoints on a port of their own ({@code bridge.ops}): {@code /healthz}, {@code /readyz},
 * {@code /metrics} and {@code /admin/*} (channels, explain, routes, reload; drain stays with the front end that
 * drains), through the same {@link OpsHandler} a front end mounts. Plain HTTP; bind it to loopback or a management
 * network.
 *
 * <p>Threads: Jetty's pool {@code ops-http-*} (at most 4), its scheduler {@code ops-jetty-*}, and
 * {@code ops-reload} for route reloads (file I/O off Jetty's threads). {@link Running#close} stops all of them.
 */
public final class OpsServer implements OpsService {

    private static final Logger log = LoggerFactory.getLogger(OpsServer.class);

    @Override
    public Running start(OpsView ops, OpsSettings settings) throws AdapterStartException {
        QueuedThreadPool pool = new QueuedThreadPool(4, 1);
        pool.setName("ops-http");
        Server server = new Server(pool, new ScheduledExecutorScheduler("ops-jetty", true), null);
        server.setStopTimeout(0);
        ServerConnector connector = new ServerConnector(server, 1, 1);
        connector.setHost(settings.host());
        connector.setPort(settings.port());
        server.addConnector(connector);
        ExecutorService reload = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "ops-reload");
            t.setDaemon(true);
            return t;
        });
        AdminApi admin = new AdminApi(ops, new AdminAccess(Optional.ofNullable(settings.token())), null, Duration.ZERO, reload);
        server.setHandler(new OpsHandler(ops, null, admin, connector, null));
        Running running = new Running() {
            private boolean closed;

            @Override
            public int port() {
                return connector.getLocalPort();
            }

            @Override
            public List<String> describe() {
                String host = settings.host().contains(":") ? "[" + settings.host() + "]" : settings.host();
                return List.of("ops: /healthz, /readyz, /metrics and /admin/ at http://" + host + ":" + port() + "/"
                        + (settings.token() != null ? " (admin: bearer token)" : " (admin: loopback clients only)"));
            }

            @Override
            public synchronized void close() {
                if (closed) {
                    return;
                }
                closed = true;
                try {
                    server.stop();
                } catch (Exception e) {
                    log.warn("ops: Jetty did not stop cleanly: {}", e.toString());
                }
                reload.shutdownNow();
                try {
                    reload.awaitTermination(2, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
        };
        try {
            server.start();
        } catch (Exception e) {
            running.close();
            throw new AdapterStartException("ops: cannot listen on " + settings.host() + ":" + settings.port() + " (" + e.getMessage()
                    + "); set bridge.ops.port to a free port, or 0 to pick one", e);
        }
        return running;
    }
}
