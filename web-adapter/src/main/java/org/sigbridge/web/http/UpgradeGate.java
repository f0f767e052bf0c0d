package org.sigbridge.web.http;

import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpStatus;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;
import org.sigbridge.spi.ErrorCode;
import org.sigbridge.web.UpgradeRefusal;
import org.sigbridge.web.WebStats;
import org.sigbridge.web.limit.OriginPolicy;
import org.sigbridge.web.session.SessionRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Answers a WebSocket upgrade that must not happen before the upgrade handler sees it: 403 for an Origin
 * outside the allow-list (browsers send it on every WebSocket handshake, RFC 6455 §10.2), 429 when the
 * address already holds {@code max-connections-per-address} sockets, 503 while the adapter drains. Every
 * other request passes through. Each refusal is counted by reason and by the error code it answers with. An upgrade
 * that passes goes on as a {@link HandshakeView} (what Jetty keeps of it per socket, without the query).
 * Runs on Jetty threads; never blocks.
 */
public final class UpgradeGate extends Handler.Wrapper {

    private static final Logger log = LoggerFactory.getLogger(UpgradeGate.class);

    private final OriginPolicy origins;
    private final SessionRegistry registry;
    private final WebStats stats;
    private final HandshakeView.LastUri lastUri = new HandshakeView.LastUri();
    private final Handler http;

    /**
     * @param next the WebSocket upgrade handler
     * @param http where a request that is not a WebSocket upgrade goes: the upgrade handler's own next handler, where it
     *             would pass it after matching its path (and leaving the matched spec among the request's attributes,
     *             which a held long poll keeps: docs/benchmarks.md, "Idle memory per socket.io session, session 12")
     */
    public UpgradeGate(OriginPolicy origins, SessionRegistry registry, WebStats stats, Handler next, Handler http) {
        super(next);
        this.http = http;
        this.origins = origins;
        this.registry = registry;
        this.stats = stats;
    }

    @Override
    public boolean handle(Request request, Response response, Callback callback) throws Exception {
        String upgrade = request.getHeaders().get(HttpHeader.UPGRADE);
        if (upgrade == null || !upgrade.equalsIgnoreCase("websocket")) {
            return http.handle(request, response, callback);
        }
        String origin = request.getHeaders().get(HttpHeader.ORIGIN);
        if (!origins.allows(origin, request.getHeaders().get(HttpHeader.HOST))) {
            log.info("refused a WebSocket from origin {} (not in allowed-origins)", origin);
            refuse(UpgradeRefusal.ORIGIN, ErrorCode.NOT_PERMITTED);
            Replies.error(response, callback, HttpStatus.FORBIDDEN_403, ErrorCode.NOT_PERMITTED,
                    "origin " + origin + " is not in allowed-origins", null);
            return true;
        }
        if (!registry.isAccepting()) {
            refuse(UpgradeRefusal.DRAINING, ErrorCode.SHUTTING_DOWN);
            Replies.error(response, callback, HttpStatus.SERVICE_UNAVAILABLE_503, ErrorCode.SHUTTING_DOWN, "the bridge is stopping", null);
            return true;
        }
        if (!registry.addresses().hasRoom(Request.getRemoteAddr(request))) {
            refuse(UpgradeRefusal.TOO_MANY_CONNECTIONS, ErrorCode.NOT_PERMITTED);
            Replies.error(response, callback, HttpStatus.TOO_MANY_REQUESTS_429, ErrorCode.NOT_PERMITTED,
                    "too many connections from this address (max-connections-per-address)", null);
            return true;
        }
        // Jetty's handshake sees the request without its query; the dialect's acceptor reads the original.
        return super.handle(new HandshakeView(request, lastUri), response, callback);
    }

    /** Counts a refusal by reason and its error answer by code ({@code sigbridge_web_upgrades_refused_total}, {@code _errors_total}). */
    private void refuse(UpgradeRefusal reason, ErrorCode code) {
        stats.countConnectionRefused(reason);
        stats.countError(code);
    }
}
