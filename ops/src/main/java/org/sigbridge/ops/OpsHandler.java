package org.sigbridge.ops;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.server.Connector;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;
import org.sigbridge.spi.ops.OpsView;

/**
 * The operations endpoints as a Jetty 12 core handler, mounted outermost by a front end on its port or by
 * {@link OpsServer} on a port of its own: {@code /healthz} (the process answers: liveness), {@code /readyz} ({@link Readiness}),
 * {@code /metrics} (Prometheus text format) and {@code /admin/*} ({@link AdminApi}); everything else goes to the
 * browser-facing handlers. With a separate admin port, {@code /admin/*} is served only there and the admin port
 * serves nothing but these endpoints. Jetty threads; a scrape formats in memory and never blocks on the network.
 */
public final class OpsHandler extends Handler.Wrapper {

    private final OpsView context;
    private final Drain drain;
    private final AdminApi admin;
    private final Connector adminConnector;

    /**
     * @param drain          the front end's drain, or {@code null} (then {@code /readyz} never reports draining)
     * @param admin          the admin API, or {@code null} when {@code admin.enabled} is false
     * @param adminConnector the separate admin port's connector, or {@code null} when the admin API is on the web port
     */
    public OpsHandler(OpsView context, Drain drain, AdminApi admin, Connector adminConnector, Handler next) {
        super(next);
        this.context = context;
        this.drain = drain;
        this.admin = admin;
        this.adminConnector = adminConnector;
    }

    @Override
    public boolean handle(Request request, Response response, Callback callback) throws Exception {
        String path = Request.getPathInContext(request);
        String method = request.getMethod();
        boolean read = method.equals("GET") || method.equals("HEAD");
        boolean onAdminPort = adminConnector != null && request.getConnectionMetaData().getConnector() == adminConnector;
        if (read && path.equals("/healthz")) {
            Replies.send(response, callback, 200, Replies.TEXT, "ok\n");
            return true;
        }
        if (read && path.equals("/readyz")) {
            Readiness r = Readiness.of(context.legs(), drain != null && drain.draining());
            Replies.send(response, callback, r.ready() ? 200 : 503, Replies.JSON, r.json());
            return true;
        }
        if (read && path.equals("/metrics")) {
            PrometheusMetrics metrics = PrometheusMetrics.of(context.metrics()).orElse(null);
            if (metrics == null) {
                Replies.send(response, callback, 404, Replies.TEXT, "this bridge exports no metrics (its host chose none)\n");
                return true;
            }
            ByteArrayOutputStream out = new ByteArrayOutputStream(16 * 1024);
            metrics.scrape(out);
            response.setStatus(200);
            response.getHeaders().put(HttpHeader.CONTENT_TYPE, PrometheusMetrics.CONTENT_TYPE);
            response.getHeaders().put(HttpHeader.CACHE_CONTROL, "no-store");
            response.write(true, method.equals("HEAD") ? ByteBuffer.allocate(0) : ByteBuffer.wrap(out.toByteArray()), callback);
            return true;
        }
        boolean adminPath = path.equals("/admin") || path.startsWith("/admin/");
        if (adminPath && admin != null && (adminConnector == null || onAdminPort)) {
            admin.handle(path, request, response, callback);
            return true;
        }
        if (onAdminPort) {
            Replies.send(response, callback, 404, Replies.JSON, AdminJson.error("not_found",
                    "the admin port serves /healthz, /readyz, /metrics and /admin/* only"));
            return true;
        }
        return super.handle(request, response, callback);
    }
}
