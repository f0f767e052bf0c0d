package org.sigbridge.web.socketio.engine;

import java.nio.charset.StandardCharsets;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpMethod;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;
import org.sigbridge.spi.ErrorCode;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The HTTP side of {@code /socket.io/}: the Engine.IO handshake (revision 3 or 4 by the {@code EIO} query parameter,
 * {@link EioRevision}), long-poll GETs and POSTs, CORS. Errors are answered as the reference engine.io server does (the
 * same in both revisions): HTTP 400 (403 for a refused Origin) with {@code {"code":n,"message":…}},
 * codes 0 transport unknown, 1 session ID unknown, 2 bad handshake method, 3 bad request, 4 forbidden, 5 unsupported
 * protocol version. Jetty threads; never blocks (bodies are read asynchronously and bounded by
 * {@code socketio.max-http-buffer-size}).
 *
 * <p>Engine.IO 3's JSONP polling ({@code j}) is a framing of its own ({@link EioRevision#framing}). Socket.IO 0.9
 * ({@code /socket.io/1/…}) is a handler of its own.
 */
public final class EngineHttpHandler extends Handler.Abstract.NonBlocking {

    private static final Logger log = LoggerFactory.getLogger(EngineHttpHandler.class);

    /** The reference server's error answers. */
    public enum EioError {
        TRANSPORT_UNKNOWN(0, "Transport unknown"),
        UNKNOWN_SID(1, "Session ID unknown"),
        BAD_HANDSHAKE_METHOD(2, "Bad handshake method"),
        BAD_REQUEST(3, "Bad request"),
        FORBIDDEN(4, "Forbidden"),
        UNSUPPORTED_PROTOCOL_VERSION(5, "Unsupported protocol version");

        private final int code;
        private final String message;

        EioError(int code, String message) {
            this.code = code;
            this.message = message;
        }

        /** The JSON body, e.g. {@code {"code":1,"message":"Session ID unknown"}}. */
        public String json() {
            return "{\"code\":" + code + ",\"message\":\"" + message + "\"}";
        }
    }

    private final Engine engine;

    public EngineHttpHandler(Engine engine) {
        this.engine = engine;
    }

    @Override
    public boolean handle(Request request, Response response, Callback callback) {
        String origin = request.getHeaders().get(HttpHeader.ORIGIN);
        if (origin != null) {
            if (!engine.host().origins().allows(origin, request.getHeaders().get(HttpHeader.HOST))) {
                log.info("{}: refused a socket.io request from origin {} (not in allowed-origins)", engine.host().adapter(), origin);
                engine.host().stats().countError(ErrorCode.NOT_PERMITTED);
                error(response, callback, 403, EioError.FORBIDDEN);
                return true;
            }
            response.getHeaders().put(HttpHeader.ACCESS_CONTROL_ALLOW_ORIGIN, origin);
            response.getHeaders().put(HttpHeader.ACCESS_CONTROL_ALLOW_CREDENTIALS, "true");
            response.getHeaders().add(HttpHeader.VARY, "Origin");
        }
        String method = request.getMethod();
        if (HttpMethod.OPTIONS.is(method)) {
            response.setStatus(204);
            response.getHeaders().put(HttpHeader.ACCESS_CONTROL_ALLOW_METHODS, "GET, POST, OPTIONS");
            String asked = request.getHeaders().get(HttpHeader.ACCESS_CONTROL_REQUEST_HEADERS);
            if (asked != null) {
                response.getHeaders().put(HttpHeader.ACCESS_CONTROL_ALLOW_HEADERS, asked);
            }
            response.getHeaders().put(HttpHeader.ACCESS_CONTROL_MAX_AGE, "600");
            callback.succeeded();
            return true;
        }
        HandshakeQuery query = HandshakeQuery.of(request);
        String transport = query.getValue("transport");
        if (!"polling".equals(transport) && !"websocket".equals(transport)) {
            return refuse(response, callback, EioError.TRANSPORT_UNKNOWN, "transport " + transport);
        }
        EioRevision revision = EioRevision.of(query.getValue("EIO")).orElse(null);
        if (revision == null) {
            return refuse(response, callback, EioError.UNSUPPORTED_PROTOCOL_VERSION, "EIO=" + query.getValue("EIO"));
        }
        if ("websocket".equals(transport)) {
            // a WebSocket request that is not an upgrade
            return refuse(response, callback, EioError.BAD_REQUEST, "transport=websocket without an upgrade");
        }
        String sid = query.getValue("sid");
        boolean get = HttpMethod.GET.is(method);
        if (sid == null) {
            if (!get) {
                return refuse(response, callback, EioError.BAD_HANDSHAKE_METHOD, method + " handshake");
            }
            handshake(request, response, callback, query, revision);
            return true;
        }
        EioSession session = engine.find(sid);
        if (session == null) {
            return refuse(response, callback, EioError.UNKNOWN_SID, "sid " + sid);
        }
        if (get) {
            SessionTransport.PollOutcome outcome = session.poll(response, callback);
            if (outcome == SessionTransport.PollOutcome.OVERLAP) {
                // the reference: "overlap from client", 400, and the session ends
                refuse(response, callback, EioError.BAD_REQUEST, "a second GET while one is held");
                session.close("overlap from client");
            } else if (outcome == SessionTransport.PollOutcome.WRONG_TRANSPORT) {
                refuse(response, callback, EioError.BAD_REQUEST, "polling on a session that moved to WebSocket");
            }
            return true;
        }
        if (!HttpMethod.POST.is(method)) {
            return refuse(response, callback, EioError.BAD_REQUEST, method);
        }
        post(request, response, callback, session);
        return true;
    }

    private void handshake(Request request, Response response, Callback callback, HandshakeQuery query, EioRevision revision) {
        String address = Request.getRemoteAddr(request);
        if (engine.host().drain().draining()) {
            engine.host().stats().countError(ErrorCode.SHUTTING_DOWN);
            error(response, callback, 503, EioError.BAD_REQUEST);
            return;
        }
        if (!engine.host().registry().addresses().tryAcquire(address)) {
            engine.host().stats().countError(ErrorCode.NOT_PERMITTED);
            error(response, callback, 429, EioError.FORBIDDEN);
            return;
        }
        address = engine.host().registry().addresses().shared(address); // one string per address, not per session
        EioSession session = engine.open(engine.host().connectionIds().get(), address, null, query, revision,
                request.getHeaders().get(HttpHeader.ORIGIN));
        if (session == null) {
            engine.host().registry().addresses().release(address);
            error(response, callback, 503, EioError.BAD_REQUEST);
            return;
        }
        if (session.poll(response, callback) != SessionTransport.PollOutcome.HELD_OR_ANSWERED) {
            error(response, callback, 503, EioError.BAD_REQUEST);
        }
    }

    private void post(Request request, Response response, Callback callback, EioSession session) {
        int max = engine.settings().maxHttpBufferSize();
        long length = request.getLength();
        if (length > max) {
            tooLarge(response, callback, session, length);
            return;
        }
        Content.Source.asByteArrayAsync(request, max).whenComplete((body, failure) -> {
            if (failure != null) {
                tooLarge(response, callback, session, -1);
                return;
            }
            session.post(body, request.getHeaders().get(HttpHeader.CONTENT_TYPE));
            ok(response, callback); // the reference answers ok even when the payload ended the session
        });
    }

    private void tooLarge(Response response, Callback callback, EioSession session, long length) {
        engine.countMalformed();
        engine.host().stats().countError(ErrorCode.TOO_LARGE);
        log.debug("{}: POST of {} bytes over socketio.max-http-buffer-size", engine.host().adapter(), length);
        session.close("payload too large");
        response.setStatus(413);
        response.getHeaders().put(HttpHeader.CONNECTION, "close");
        callback.succeeded();
    }

    private static void ok(Response response, Callback callback) {
        response.setStatus(200);
        response.getHeaders().put(HttpHeader.CONTENT_TYPE, "text/html");
        response.write(true, java.nio.ByteBuffer.wrap(new byte[] {'o', 'k'}), callback);
    }

    private boolean refuse(Response response, Callback callback, EioError error, String detail) {
        engine.countMalformed();
        log.debug("{}: socket.io request refused: {} ({})", engine.host().adapter(), error.message, detail);
        error(response, callback, 400, error);
        return true;
    }

    private static void error(Response response, Callback callback, int status, EioError error) {
        response.setStatus(status);
        response.getHeaders().put(HttpHeader.CONTENT_TYPE, "application/json");
        response.write(true, java.nio.ByteBuffer.wrap(error.json().getBytes(StandardCharsets.UTF_8)), callback);
    }
}
