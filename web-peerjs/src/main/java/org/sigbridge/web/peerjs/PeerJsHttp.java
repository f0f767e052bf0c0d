package org.sigbridge.web.peerjs;

import java.util.stream.Collectors;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpMethod;
import org.eclipse.jetty.http.HttpStatus;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;
import org.sigbridge.envelope.JsonValue;
import org.sigbridge.web.PeerJsSettings;
import org.sigbridge.web.http.Replies;

/**
 * The PeerJS server's HTTP answers (docs/dialects.md §8): {@code GET {path}{key}/id}, {@code GET {path}{key}/peers}
 * and the banner at {@code GET {path}}. Like the reference's {@code cors({origin: true})} they reflect any
 * {@code Origin} and answer a preflight. Handlers run on Jetty threads and never block.
 */
final class PeerJsHttp {

    static final String HTML = "text/html; charset=utf-8";
    static final String BANNER = "{\"name\":\"PeerJS Server\",\"description\":\"A server side element to broker connections"
            + " between PeerJS clients.\",\"website\":\"https://peerjs.com/\"}";

    private final PeerJsServer server;
    private final PeerJsSettings settings;

    PeerJsHttp(PeerJsServer server, PeerJsSettings settings) {
        this.server = server;
        this.settings = settings;
    }

    /** A fresh random id not in use, as {@code text/html}. */
    Handler id() {
        return handler(Kind.ID);
    }

    /** The connected ids as a JSON array when {@code allow-discovery} is on, else 401. */
    Handler peers() {
        return handler(Kind.PEERS);
    }

    Handler banner() {
        return handler(Kind.BANNER);
    }

    private enum Kind { ID, PEERS, BANNER }

    private Handler handler(Kind kind) {
        return new Handler.Abstract.NonBlocking() {
            @Override
            public boolean handle(Request request, Response response, Callback callback) {
                String method = request.getMethod();
                cors(request, response);
                if (HttpMethod.OPTIONS.is(method)) {
                    response.getHeaders().put(HttpHeader.ACCESS_CONTROL_ALLOW_METHODS, "GET,HEAD,PUT,PATCH,POST,DELETE");
                    String asked = request.getHeaders().get(HttpHeader.ACCESS_CONTROL_REQUEST_HEADERS);
                    if (asked != null) {
                        response.getHeaders().put(HttpHeader.ACCESS_CONTROL_ALLOW_HEADERS, asked);
                    }
                    response.setStatus(HttpStatus.NO_CONTENT_204);
                    callback.succeeded();
                    return true;
                }
                if (!HttpMethod.GET.is(method) && !HttpMethod.HEAD.is(method)) {
                    return false; // the host answers (404), as the reference's router does for other methods
                }
                switch (kind) {
                    case ID -> Replies.send(response, callback, HttpStatus.OK_200, HTML, server.freshId());
                    case PEERS -> {
                        if (settings.allowDiscovery()) {
                            Replies.send(response, callback, HttpStatus.OK_200, Replies.JSON, server.peerIds().stream()
                                    .map(id -> JsonValue.string(id).json()).collect(Collectors.joining(",", "[", "]")));
                        } else {
                            Replies.send(response, callback, HttpStatus.UNAUTHORIZED_401, Replies.TEXT, "Unauthorized");
                        }
                    }
                    case BANNER -> Replies.send(response, callback, HttpStatus.OK_200, Replies.JSON, BANNER);
                }
                return true;
            }
        };
    }

    /** {@code cors({origin: true})}: the request's Origin is allowed, whatever it is. */
    private static void cors(Request request, Response response) {
        String origin = request.getHeaders().get(HttpHeader.ORIGIN);
        if (origin != null) {
            response.getHeaders().put(HttpHeader.ACCESS_CONTROL_ALLOW_ORIGIN, origin);
            response.getHeaders().put(HttpHeader.VARY, "Origin");
        }
    }
}
