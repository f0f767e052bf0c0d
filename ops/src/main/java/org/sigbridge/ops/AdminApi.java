package org.sigbridge.ops;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpStatus;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;
import org.sigbridge.config.DurationText;
import org.sigbridge.routing.RouteMatch;
import org.sigbridge.spi.ChannelSnapshot;
import org.sigbridge.spi.RouteReload;
import org.sigbridge.spi.ops.OpsView;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The admin API, every answer JSON:
 * <ul>
 * <li>{@code GET /admin/channels}: open channels with route, participants per leg and counters;</li>
 * <li>{@code GET /admin/explain?channel=c}: which rule, which target, why (and the route an open channel keeps);</li>
 * <li>{@code GET /admin/routes}: the rules in effect with their hit counters;</li>
 * <li>{@code POST /admin/reload}: read the routes from the config file again (200, or 422 with the file's one-line
 * problem while the old table stays);</li>
 * <li>{@code POST /admin/drain[?deadline=30s]} (202) and {@code GET /admin/drain}: drain and its progress.</li>
 * </ul>
 * Access is checked first ({@link AdminAccess}: 401/403). Jetty threads; the reload reads the file on the
 * {@code slowWork} executor (the front end's timer thread), never on a Jetty thread. Without a {@link Drain}
 * (the ops module's own port) {@code /admin/drain} answers 404: drain is the front end's.
 */
public final class AdminApi {

    private static final Logger log = LoggerFactory.getLogger(AdminApi.class);

    private final OpsView context;
    private final AdminAccess access;
    private final Drain drain;
    private final Duration defaultDrainDeadline;
    private final Executor slowWork;

    /**
     * @param drain the front end's drain, or {@code null} where there is none to drain
     */
    public AdminApi(OpsView context, AdminAccess access, Drain drain, Duration defaultDrainDeadline, Executor slowWork) {
        this.context = context;
        this.access = access;
        this.drain = drain;
        this.defaultDrainDeadline = defaultDrainDeadline;
        this.slowWork = slowWork;
    }

    /** Answers a request whose path starts with {@code /admin}. */
    public void handle(String path, Request request, Response response, Callback callback) {
        var denial = access.check(Request.getRemoteAddr(request), request.getHeaders().get(HttpHeader.AUTHORIZATION),
                request.getHeaders().contains(HttpHeader.FORWARDED) || request.getHeaders().contains(HttpHeader.X_FORWARDED_FOR));
        if (denial.isPresent()) {
            if (denial.get().status() == 401) {
                response.getHeaders().put(HttpHeader.WWW_AUTHENTICATE, "Bearer realm=\"sigbridge-admin\"");
            }
            log.info("admin {} {} refused for {}: {}", request.getMethod(), path, Request.getRemoteAddr(request), denial.get().detail());
            reply(response, callback, denial.get().status(), AdminJson.error(denial.get().status() == 401 ? "unauthorized" : "forbidden",
                    denial.get().detail()));
            return;
        }
        String method = request.getMethod();
        switch (path) {
            case "/admin/channels" -> {
                if (allow(method, "GET", response, callback)) {
                    reply(response, callback, 200, AdminJson.channels(context.channelSnapshots()));
                }
            }
            case "/admin/explain" -> {
                if (allow(method, "GET", response, callback)) {
                    explain(request, response, callback);
                }
            }
            case "/admin/routes" -> {
                if (allow(method, "GET", response, callback)) {
                    reply(response, callback, 200, AdminJson.routes(context.routing()));
                }
            }
            case "/admin/reload" -> {
                if (allow(method, "POST", response, callback)) {
                    reload(response, callback);
                }
            }
            case "/admin/drain" -> drain(method, request, response, callback);
            default -> reply(response, callback, 404, AdminJson.error("not_found",
                    "no admin endpoint " + path + "; try /admin/channels, /admin/explain?channel=, /admin/routes, /admin/reload, /admin/drain"));
        }
    }

    private void explain(Request request, Response response, Callback callback) {
        String channel = Request.extractQueryParameters(request).getValue("channel");
        if (channel == null || channel.isEmpty()) {
            reply(response, callback, 400, AdminJson.error("bad_request", "add ?channel=<name>"));
            return;
        }
        ChannelSnapshot open = context.channelSnapshots().stream().filter(c -> c.name().equals(channel)).findFirst().orElse(null);
        RouteMatch now = context.routing().peek(channel);
        reply(response, callback, 200, AdminJson.explain(now, context.upstreamAddress(now), open));
    }

    private void reload(Response response, Callback callback) {
        CompletableFuture.supplyAsync(context::reloadRoutes, slowWork).whenComplete((result, failure) -> {
            if (failure != null) {
                reply(response, callback, 500, AdminJson.error("internal", "reload failed: " + failure));
            } else if (result instanceof RouteReload.Reloaded ok) {
                reply(response, callback, 200, AdminJson.reloaded(ok.source(), ok.table()));
            } else if (result instanceof RouteReload.Refused refused) {
                reply(response, callback, 422, AdminJson.error("config_refused", refused.reason()));
            }
        });
    }

    private void drain(String method, Request request, Response response, Callback callback) {
        if (drain == null) {
            reply(response, callback, 404, AdminJson.error("not_found",
                    "nothing to drain here; POST /admin/drain on the web adapter's port (or its admin.port)"));
            return;
        }
        if (method.equals("GET")) {
            reply(response, callback, 200, AdminJson.drain(drain.status()));
            return;
        }
        if (!allow(method, "POST", response, callback)) {
            return;
        }
        String text = Request.extractQueryParameters(request).getValue("deadline");
        Duration deadline;
        try {
            deadline = text == null ? defaultDrainDeadline : DurationText.parse(text);
        } catch (IllegalArgumentException e) {
            reply(response, callback, 400, AdminJson.error("bad_request", "deadline: " + e.getMessage()));
            return;
        }
        if (deadline.isNegative()) {
            reply(response, callback, 400, AdminJson.error("bad_request", "deadline must be 0s or more"));
            return;
        }
        reply(response, callback, 202, AdminJson.drain(drain.start(deadline)));
    }

    private static boolean allow(String method, String allowed, Response response, Callback callback) {
        if (method.equals(allowed) || (allowed.equals("GET") && method.equals("HEAD"))) {
            return true;
        }
        response.getHeaders().put(HttpHeader.ALLOW, allowed.equals("GET") ? "GET, HEAD" : allowed);
        reply(response, callback, HttpStatus.METHOD_NOT_ALLOWED_405, AdminJson.error("method_not_allowed", "use " + allowed));
        return false;
    }

    private static void reply(Response response, Callback callback, int status, String json) {
        Replies.send(response, callback, status, Replies.JSON, json);
    }
}
