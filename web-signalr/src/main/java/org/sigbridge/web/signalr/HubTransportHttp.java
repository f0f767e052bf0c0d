package org.sigbridge.web.signalr;

import java.nio.charset.StandardCharsets;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpMethod;
import org.eclipse.jetty.http.HttpStatus;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;
import org.sigbridge.spi.ErrorCode;
import org.sigbridge.web.http.Replies;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The HTTP transports' requests on {@code {path}{hub}?id=<connectionToken>} (docs/signalr.md#transports), answered as
 * ASP.NET Core's {@code HttpConnectionDispatcher} does: {@code GET} with {@code Accept: text/event-stream} opens the
 * Server-Sent Events stream, another {@code GET} is a Long Polling poll, {@code POST} carries the client's records,
 * {@code DELETE} ends a Long Polling connection. Refusals are plain-text statuses: 400 without {@code id} ("Connection
 * ID required") or for a change of transport, 404 for an unknown or ended connection ("No Connection with that ID"),
 * 405 for a POST to a WebSocket connection, 409 for a second event stream, 413 for a body over {@code max-frame-bytes};
 * each is counted. The caller ({@link NegotiateHttp}) has checked the Origin and set CORS headers. Jetty threads; never
 * blocks (POST bodies are read asynchronously).
 */
final class HubTransportHttp {

    private static final Logger log = LoggerFactory.getLogger(HubTransportHttp.class);
    private static final String EVENT_STREAM = "text/event-stream";

    private final HubServer server;

    HubTransportHttp(HubServer server) {
        this.server = server;
    }

    /** A request on hub {@code hub}'s connection path that is not a WebSocket upgrade. */
    void handle(String hub, Request request, Response response, Callback callback) {
        String token = Request.extractQueryParameters(request).getValue("id");
        String method = request.getMethod();
        if (!HttpMethod.GET.is(method) && !HttpMethod.POST.is(method) && !HttpMethod.DELETE.is(method)) {
            response.getHeaders().put(HttpHeader.ALLOW, "GET, POST, DELETE, OPTIONS");
            refuse(response, callback, HttpStatus.METHOD_NOT_ALLOWED_405, "", "method " + method);
            return;
        }
        if (token == null || token.isEmpty()) {
            refuse(response, callback, HttpStatus.BAD_REQUEST_400, "Connection ID required", "no id");
            return;
        }
        HubHttpTransport transport = server.httpTransport(token).filter(t -> t.hubName().equals(hub)).orElse(null);
        if (HttpMethod.GET.is(method)) {
            get(hub, token, transport, request, response, callback);
        } else if (HttpMethod.POST.is(method)) {
            post(token, transport, request, response, callback);
        } else {
            delete(token, transport, response, callback);
        }
    }

    private void get(String hub, String token, HubHttpTransport found, Request request, Response response, Callback callback) {
        String accept = request.getHeaders().get(HttpHeader.ACCEPT);
        HubHttpTransport.Kind kind = accept != null && accept.contains(EVENT_STREAM)
                ? HubHttpTransport.Kind.SERVER_SENT_EVENTS : HubHttpTransport.Kind.LONG_POLLING;
        HubHttpTransport transport = found;
        if (transport == null) {
            if (server.isSocketConnection(token)) {
                refuse(response, callback, HttpStatus.BAD_REQUEST_400, "Cannot change transports mid-connection", "WebSocket token");
                return;
            }
            if (server.host().drain().draining()) {
                server.host().stats().countError(ErrorCode.SHUTTING_DOWN);
                Replies.send(response, callback, HttpStatus.SERVICE_UNAVAILABLE_503, Replies.TEXT,
                        "This bridge is draining; connect to another.");
                return;
            }
            String address = Request.getRemoteAddr(request);
            if (!server.host().registry().addresses().tryAcquire(address)) {
                server.host().stats().countError(ErrorCode.NOT_PERMITTED);
                Replies.send(response, callback, HttpStatus.TOO_MANY_REQUESTS_429, Replies.TEXT,
                        "Too many connections from " + address + " (max-connections-per-address).");
                return;
            }
            HubServer.Opened opened = server.openHttp(token, kind, hub, address).orElse(null);
            if (opened == null || !opened.fresh()) {
                server.host().registry().addresses().release(address);
            }
            if (opened == null) {
                refuse(response, callback, HttpStatus.NOT_FOUND_404, "No Connection with that ID", "unknown id");
                return;
            }
            if (opened.fresh()) {
                opened.transport().start(new HubConnection(opened.transport(), server, hub, token, null), request, response, callback);
                log.debug("{}: SignalR connection opened over {} on hub '{}'", opened.transport().id(), kind.wire, hub);
                return;
            }
            transport = opened.transport(); // another first GET with the same token won the race
        }
        if (transport.kind() != kind) {
            refuse(response, callback, HttpStatus.BAD_REQUEST_400, "Cannot change transports mid-connection", kind.wire);
        } else if (kind == HubHttpTransport.Kind.SERVER_SENT_EVENTS) {
            refuse(response, callback, HttpStatus.CONFLICT_409, "", "a second event stream");
        } else {
            transport.poll(response, callback);
        }
    }

    private void post(String token, HubHttpTransport transport, Request request, Response response, Callback callback) {
        if (transport == null || transport.isClosed()) {
            if (transport == null && server.isSocketConnection(token)) {
                refuse(response, callback, HttpStatus.METHOD_NOT_ALLOWED_405,
                        "POST requests are not allowed for WebSocket connections.", "POST to a WebSocket connection");
            } else {
                refuse(response, callback, HttpStatus.NOT_FOUND_404, "No Connection with that ID", "POST to an unknown id");
            }
            return;
        }
        int max = server.host().settings().maxFrameBytes();
        if (request.getLength() > max) {
            tooLarge(transport, response, callback);
            return;
        }
        Content.Source.asByteArrayAsync(request, max).whenComplete((body, failure) -> {
            if (failure != null) {
                tooLarge(transport, response, callback);
                return;
            }
            transport.post(new String(body, StandardCharsets.UTF_8));
            response.setStatus(HttpStatus.OK_200);
            response.getHeaders().put(HttpHeader.CONTENT_TYPE, Replies.TEXT);
            callback.succeeded();
        });
    }

    private void delete(String token, HubHttpTransport transport, Response response, Callback callback) {
        if (transport == null && !server.isSocketConnection(token)) {
            refuse(response, callback, HttpStatus.NOT_FOUND_404, "No Connection with that ID", "DELETE of an unknown id");
        } else if (transport == null || transport.kind() != HubHttpTransport.Kind.LONG_POLLING) {
            refuse(response, callback, HttpStatus.BAD_REQUEST_400, "Cannot terminate this connection using the DELETE endpoint.",
                    "DELETE of a connection that does not long-poll");
        } else {
            transport.close("the client's DELETE");
            Replies.send(response, callback, HttpStatus.ACCEPTED_202, Replies.TEXT, "");
        }
    }

    /** A body over {@code max-frame-bytes}: 413, and the connection ends, as a WebSocket's would (1009). */
    private void tooLarge(HubHttpTransport transport, Response response, Callback callback) {
        server.host().stats().countBadFrame();
        server.host().stats().countError(ErrorCode.TOO_LARGE);
        log.debug("{}: SignalR POST over max-frame-bytes; closing the connection", transport.id());
        transport.close("POST over max-frame-bytes");
        response.getHeaders().put(HttpHeader.CONNECTION, "close");
        Replies.send(response, callback, HttpStatus.PAYLOAD_TOO_LARGE_413, Replies.TEXT,
                "The body is larger than max-frame-bytes (" + server.host().settings().maxFrameBytes() + ").");
    }

    private void refuse(Response response, Callback callback, int status, String text, String why) {
        server.host().stats().countBadFrame();
        log.debug("{}: SignalR request refused with {}: {}", server.host().adapter(), status, why);
        Replies.send(response, callback, status, Replies.TEXT, text);
    }
}
