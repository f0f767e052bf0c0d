package org.sigbridge.web.signalr;

import java.io.IOException;
import java.io.InputStream;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpMethod;
import org.eclipse.jetty.http.HttpStatus;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.Fields;
import org.sigbridge.spi.ErrorCode;
import org.sigbridge.web.http.Replies;
import org.sigbridge.web.signalr.protocol.HubProtocolException;

/**
 * The classic SignalR 2 hub's HTTP side under {@code {classic-path}} (docs/signalr.md#classic): the generated
 * {@code hubs} script, and for any base below the path (the page's {@code $.connection.hub.url}, e.g.
 * {@code /signalr} or {@code /signalr/hubs}) {@code negotiate}, {@code start}, {@code ping}, {@code send},
 * {@code abort} and the long-polling {@code connect}, {@code poll} and {@code reconnect}. WebSocket upgrades go to
 * {@link ClassicSocket}. Cross-origin pages in {@code allowed-origins} get credentialed CORS; others 403. Jetty threads;
 * never blocks (bodies are read asynchronously, bounded by {@code max-frame-bytes}).
 */
final class ClassicHttp extends Handler.Abstract.NonBlocking {

    private static final Set<String> OPERATIONS = Set.of("negotiate", "start", "ping", "send", "abort", "connect", "poll", "reconnect");
    private static final String JAVASCRIPT = "application/javascript; charset=utf-8";

    private final ClassicServer server;
    private final String path;
    private final String script;

    ClassicHttp(ClassicServer server) {
        this.server = server;
        this.path = server.settings().classicPath();
        this.script = script(path);
    }

    /** The hubs script with the classic path filled in. */
    static String script(String path) {
        try (InputStream in = ClassicHttp.class.getResourceAsStream("hubs.js")) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8).replace("%PATH%", path).replace("%HUBS%", "");
        } catch (IOException | NullPointerException e) {
            throw new IllegalStateException("hubs.js is missing from the web-signalr jar", e);
        }
    }

    @Override
    public boolean handle(Request request, Response response, Callback callback) {
        String requestPath = Request.getPathInContext(request);
        if (requestPath.equals(path + "/hubs") || requestPath.equals(path + "/js")) {
            if (!HttpMethod.GET.is(request.getMethod()) && !HttpMethod.HEAD.is(request.getMethod())) {
                return false;
            }
            response.getHeaders().put(HttpHeader.CACHE_CONTROL, "no-cache");
            Replies.send(response, callback, HttpStatus.OK_200, JAVASCRIPT, script);
            return true;
        }
        int slash = requestPath.lastIndexOf('/');
        String operation = requestPath.substring(slash + 1);
        String base = requestPath.substring(0, slash);
        if (!OPERATIONS.contains(operation) || !(base.equals(path) || base.startsWith(path + "/"))) {
            return false;
        }
        if (!cors(request, response, callback)) {
            return true;
        }
        if (HttpMethod.OPTIONS.is(request.getMethod())) {
            response.getHeaders().put(HttpHeader.ACCESS_CONTROL_ALLOW_METHODS, "GET, POST, OPTIONS");
            String asked = request.getHeaders().get(HttpHeader.ACCESS_CONTROL_REQUEST_HEADERS);
            response.getHeaders().put(HttpHeader.ACCESS_CONTROL_ALLOW_HEADERS, asked != null ? asked : "content-type");
            response.setStatus(HttpStatus.NO_CONTENT_204);
            callback.succeeded();
            return true;
        }
        Fields query = Request.extractQueryParameters(request, StandardCharsets.UTF_8);
        String version = query.getValue("clientProtocol");
        if (version == null || !ClassicProtocol.VERSIONS.contains(version)) {
            return badRequest(response, callback, "Incompatible protocol version: clientProtocol must be one of 1.2 to 2.1.");
        }
        if (operation.equals("negotiate")) {
            return negotiate(request, response, callback, base, version, query);
        }
        if (operation.equals("ping")) {
            Replies.send(response, callback, HttpStatus.OK_200, Replies.JSON, "{\"Response\":\"pong\"}");
            return true;
        }
        Optional<ClassicConnection> connection = server.connection(query.getValue("connectionToken"));
        if (connection.isEmpty()) {
            server.host().stats().countError(ErrorCode.NOT_PERMITTED);
            if (operation.equals("poll") || operation.equals("reconnect")) {
                // A poll of a connection that ended: a global error stops the client and says why.
                Replies.send(response, callback, HttpStatus.OK_200, Replies.JSON,
                        ClassicProtocol.globalError("The connection is unknown or has ended; start a new one."));
                return true;
            }
            return badRequest(response, callback, "Unrecognized connectionToken: the connection is unknown or has ended.");
        }
        String transport = query.getValue("transport");
        switch (operation) {
            case "start" -> Replies.send(response, callback, HttpStatus.OK_200, Replies.JSON, "{\"Response\":\"started\"}");
            case "abort" -> {
                connection.get().end("The connection was aborted by the client.");
                Replies.send(response, callback, HttpStatus.OK_200, Replies.TEXT, "");
            }
            case "send" -> form(request, response, callback, fields -> {
                String data = fields.get("data");
                String answer = data == null ? null : server.invoke(connection.get(), data);
                if (answer == null) {
                    badRequest(response, callback, "The form field 'data' must hold a hub invocation {\"H\",\"M\",\"A\",\"I\"}.");
                } else {
                    Replies.send(response, callback, HttpStatus.OK_200, Replies.JSON, answer);
                }
            });
            default -> { // connect, poll, reconnect
                if (!"longPolling".equals(transport)) {
                    return badRequest(response, callback, "The transport '" + transport + "' is not served here: use webSockets (a"
                            + " WebSocket upgrade) or longPolling.");
                }
                boolean connect = operation.equals("connect");
                form(request, response, callback, fields -> connection.get().poll(fields.get("messageId"), connect, response, callback));
            }
        }
        return true;
    }

    private boolean negotiate(Request request, Response response, Callback callback, String base, String version, Fields query) {
        if (server.host().drain().draining()) {
            server.host().stats().countError(ErrorCode.SHUTTING_DOWN);
            Replies.send(response, callback, HttpStatus.SERVICE_UNAVAILABLE_503, Replies.TEXT, "This bridge is draining; connect to another.");
            return true;
        }
        List<String> hubs;
        try {
            hubs = ClassicProtocol.hubs(query.getValue("connectionData"));
        } catch (HubProtocolException e) {
            server.host().stats().countBadFrame();
            return badRequest(response, callback, e.getMessage());
        }
        Optional<ClassicConnection> connection = server.negotiate(hubs);
        if (connection.isEmpty()) {
            Replies.send(response, callback, HttpStatus.SERVICE_UNAVAILABLE_503, Replies.TEXT,
                    "No connection can be made now (too many, or the hub's channel is refused); try again later.");
            return true;
        }
        double keepAlive = server.settings().keepAliveInterval().toMillis() / 1000.0;
        Replies.send(response, callback, HttpStatus.OK_200, Replies.JSON, ClassicProtocol.negotiate(base, connection.get().token(),
                connection.get().connectionId(), version, 2 * keepAlive, server.settings().clientTimeout().toMillis() / 1000.0,
                ClassicServer.POLL_TIMEOUT.toSeconds()));
        return true;
    }

    /** Reflects an allowed Origin with credentials; answers 403 for another and returns false. */
    private boolean cors(Request request, Response response, Callback callback) {
        String origin = request.getHeaders().get(HttpHeader.ORIGIN);
        if (origin == null) {
            return true;
        }
        if (!server.host().origins().allows(origin, request.getHeaders().get(HttpHeader.HOST))) {
            server.host().stats().countError(ErrorCode.NOT_PERMITTED);
            Replies.error(response, callback, HttpStatus.FORBIDDEN_403, ErrorCode.NOT_PERMITTED,
                    "origin " + origin + " is not in allowed-origins", null);
            return false;
        }
        response.getHeaders().put(HttpHeader.ACCESS_CONTROL_ALLOW_ORIGIN, origin);
        response.getHeaders().put(HttpHeader.ACCESS_CONTROL_ALLOW_CREDENTIALS, "true");
        response.getHeaders().put(HttpHeader.VARY, "Origin");
        return true;
    }

    private boolean badRequest(Response response, Callback callback, String why) {
        server.host().stats().countBadFrame();
        Replies.send(response, callback, HttpStatus.BAD_REQUEST_400, Replies.TEXT, why);
        return true;
    }

    @FunctionalInterface
    private interface FormAction {
        void run(Map<String, String> fields);
    }

    /** Reads an {@code application/x-www-form-urlencoded} body (at most {@code max-frame-bytes}) without blocking. */
    private void form(Request request, Response response, Callback callback, FormAction then) {
        int max = server.host().settings().maxFrameBytes();
        Content.Source.asByteArrayAsync(request, max).whenComplete((body, failure) -> {
            if (failure != null) {
                server.host().stats().countError(ErrorCode.TOO_LARGE);
                Replies.send(response, callback, HttpStatus.PAYLOAD_TOO_LARGE_413, Replies.TEXT,
                        "The body is larger than max-frame-bytes (" + max + ") or could not be read.");
                return;
            }
            then.run(decode(new String(body, StandardCharsets.UTF_8)));
        });
    }

    static Map<String, String> decode(String form) {
        Map<String, String> fields = new HashMap<>();
        for (String pair : form.split("&")) {
            if (pair.isEmpty()) {
                continue;
            }
            int eq = pair.indexOf('=');
            try {
                String key = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
                String value = eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
                fields.put(key, value);
            } catch (IllegalArgumentException e) {
                // A malformed escape: the field is left out, and the request answered as if it were missing.
            }
        }
        return fields;
    }

}
