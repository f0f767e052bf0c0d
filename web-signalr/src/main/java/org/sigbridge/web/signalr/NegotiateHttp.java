package org.sigbridge.web.signalr;

import java.util.Optional;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpMethod;
import org.eclipse.jetty.http.HttpStatus;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.Fields;
import org.sigbridge.envelope.JsonValue;
import org.sigbridge.spi.ErrorCode;
import org.sigbridge.web.http.Replies;

/**
 * {@code POST {path}{hub}/negotiate?negotiateVersion=1} (docs/signalr.md#wire): hands out a connection id and token
 * and names the transports served: WebSockets, Server-Sent Events and Long Polling. The HTTP transports' own requests
 * on {@code {path}{hub}} go to {@link HubTransportHttp}. Cross-origin pages get credentialed CORS on both when their
 * Origin is in {@code allowed-origins} (the client sends cookies by default), with the client's custom headers
 * allowed; other origins get 403. Every other request under the prefix is declined, so the host answers it (404).
 * Jetty threads; never blocks.
 */
final class NegotiateHttp extends Handler.Abstract.NonBlocking {

    private static final String NEGOTIATE = "/negotiate";

    /** The transports negotiate offers, in ASP.NET Core's order (the client takes the first it supports). */
    static final String TRANSPORTS = "[{\"transport\":\"WebSockets\",\"transferFormats\":[\"Text\"]},"
            + "{\"transport\":\"ServerSentEvents\",\"transferFormats\":[\"Text\"]},"
            + "{\"transport\":\"LongPolling\",\"transferFormats\":[\"Text\"]}]";

    private final HubServer server;
    private final HubTransportHttp transports;

    NegotiateHttp(HubServer server) {
        this.server = server;
        this.transports = new HubTransportHttp(server);
    }

    @Override
    public boolean handle(Request request, Response response, Callback callback) {
        String path = Request.getPathInContext(request);
        String prefix = server.settings().path();
        if (!path.startsWith(prefix)) {
            return false;
        }
        boolean negotiate = path.endsWith(NEGOTIATE);
        String hub = path.substring(prefix.length(), path.length() - (negotiate ? NEGOTIATE.length() : 0));
        if (!SignalRDialect.isHubName(hub)) {
            return false;
        }
        String origin = request.getHeaders().get(HttpHeader.ORIGIN);
        String host = request.getHeaders().get(HttpHeader.HOST);
        if (origin != null && !server.host().origins().allows(origin, host)) {
            server.host().stats().countError(ErrorCode.NOT_PERMITTED);
            Replies.error(response, callback, HttpStatus.FORBIDDEN_403, ErrorCode.NOT_PERMITTED,
                    "origin " + origin + " is not in allowed-origins", null);
            return true;
        }
        if (origin != null) {
            response.getHeaders().put(HttpHeader.ACCESS_CONTROL_ALLOW_ORIGIN, origin);
            response.getHeaders().put(HttpHeader.ACCESS_CONTROL_ALLOW_CREDENTIALS, "true");
            response.getHeaders().put(HttpHeader.VARY, "Origin");
        }
        String method = request.getMethod();
        if (HttpMethod.OPTIONS.is(method)) {
            response.getHeaders().put(HttpHeader.ACCESS_CONTROL_ALLOW_METHODS, negotiate ? "POST, OPTIONS" : "GET, POST, DELETE, OPTIONS");
            String asked = request.getHeaders().get(HttpHeader.ACCESS_CONTROL_REQUEST_HEADERS);
            response.getHeaders().put(HttpHeader.ACCESS_CONTROL_ALLOW_HEADERS,
                    asked != null ? asked : "x-requested-with, x-signalr-user-agent, authorization, content-type");
            response.getHeaders().put(HttpHeader.ACCESS_CONTROL_MAX_AGE, "600");
            response.setStatus(HttpStatus.NO_CONTENT_204);
            callback.succeeded();
            return true;
        }
        if (!negotiate) {
            transports.handle(hub, request, response, callback);
            return true;
        }
        if (!HttpMethod.POST.is(method)) {
            response.getHeaders().put(HttpHeader.ALLOW, "POST");
            Replies.send(response, callback, HttpStatus.METHOD_NOT_ALLOWED_405, Replies.TEXT, "negotiate takes POST");
            return true;
        }
        if (server.host().drain().draining()) {
            server.host().stats().countError(ErrorCode.SHUTTING_DOWN);
            Replies.error(response, callback, HttpStatus.SERVICE_UNAVAILABLE_503, ErrorCode.SHUTTING_DOWN,
                    "this bridge is draining; connect to another", null);
            return true;
        }
        Optional<HubServer.Negotiated> negotiated = server.negotiate();
        if (negotiated.isEmpty()) {
            server.host().stats().countError(ErrorCode.RATE_LIMITED);
            Replies.error(response, callback, HttpStatus.SERVICE_UNAVAILABLE_503, ErrorCode.RATE_LIMITED,
                    "too many negotiated connections wait for their socket; try again", null);
            return true;
        }
        Replies.send(response, callback, HttpStatus.OK_200, Replies.JSON, body(negotiated.get(), version(request)));
        return true;
    }

    /** The negotiate version both sides speak: the client's, at most 1 (0 when absent or not a number). */
    private static int version(Request request) {
        Fields query = Request.extractQueryParameters(request);
        String v = query.getValue("negotiateVersion");
        try {
            return v == null ? 0 : Math.max(0, Math.min(1, Integer.parseInt(v)));
        } catch (NumberFormatException e) {
            return 0;
        }
    }

    /**
     * Version 1 names the token the socket presents; version 0 has none, and the socket presents the connection id,
     * so then the token is the id.
     */
    static String body(HubServer.Negotiated n, int version) {
        String transports = ",\"availableTransports\":" + TRANSPORTS + "}";
        if (version >= 1) {
            return "{\"negotiateVersion\":1,\"connectionId\":" + JsonValue.string(n.connectionId()).json()
                    + ",\"connectionToken\":" + JsonValue.string(n.token()).json() + transports;
        }
        return "{\"negotiateVersion\":0,\"connectionId\":" + JsonValue.string(n.token()).json() + transports;
    }
}
