package org.sigbridge.web.socketio.v09;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpMethod;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.Fields;
import org.sigbridge.web.socketio.engine.HandshakeQuery;
import org.eclipse.jetty.util.UrlEncoded;
import org.sigbridge.envelope.InvalidJsonException;
import org.sigbridge.envelope.JsonValue;
import org.sigbridge.spi.ErrorCode;
import org.sigbridge.web.socketio.sio.SocketIdentity;
import org.sigbridge.web.socketio.v09.codec.V09Codec;
import org.sigbridge.web.socketio.v09.codec.V09Packet;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The HTTP side of {@code /socket.io/1/} (docs/socketio-09.md): the handshake ({@code GET /socket.io/1/?t=…}, answered
 * {@code <sid>:<heartbeat timeout>:<close timeout>:websocket,xhr-polling,jsonp-polling}, or {@code io.j[n]("…");} with
 * {@code jsonp=n}), xhr-polling and jsonp-polling GETs and POSTs on {@code /socket.io/1/<transport>/<sid>}, CORS and
 * the Origin allow-list. Errors in 0.9 terms: an unknown or closed sid answers {@code 7:::1+0} ("client not handshaken",
 * advice "reconnect", what socket.io 0.9.19 answers), an unknown transport {@code 7:::0} with 400, a POST over
 * {@code socketio.max-http-buffer-size} 413 and the session ends; each is counted as a bad frame. Jetty threads; never
 * blocks (bodies are read asynchronously).
 */
public final class V09HttpHandler extends Handler.Abstract.NonBlocking {

    private static final Logger log = LoggerFactory.getLogger(V09HttpHandler.class);
    /** The path prefix this handler serves. */
    public static final String PREFIX = "/socket.io/1/";
    static final String TRANSPORTS = "websocket,xhr-polling,jsonp-polling";

    private final V09Engine engine;
    private final SocketIdentity identity;

    V09HttpHandler(V09Engine engine) {
        this.engine = engine;
        this.identity = new SocketIdentity(engine.host().identity(), engine.host().stats());
    }

    @Override
    public boolean handle(Request request, Response response, Callback callback) {
        String origin = request.getHeaders().get(HttpHeader.ORIGIN);
        if (origin != null) {
            if (!engine.host().origins().allows(origin, request.getHeaders().get(HttpHeader.HOST))) {
                log.info("{}: refused a socket.io 0.9 request from origin {} (not in allowed-origins)", engine.host().adapter(), origin);
                engine.host().stats().countError(ErrorCode.NOT_PERMITTED);
                text(response, callback, 403, V09Codec.encode(V09Packet.error("", V09Packet.Reason.UNAUTHORIZED, false)));
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
            callback.succeeded();
            return true;
        }
        String path = Request.getPathInContext(request);
        String rest = path.startsWith(PREFIX) ? path.substring(PREFIX.length()) : path;
        HandshakeQuery query = HandshakeQuery.of(request);
        if (rest.isEmpty()) {
            handshake(request, response, callback, query);
            return true;
        }
        int slash = rest.indexOf('/');
        String transport = slash < 0 ? rest : rest.substring(0, slash);
        String sid = slash < 0 ? "" : rest.substring(slash + 1);
        boolean jsonp = transport.equals("jsonp-polling");
        if (!jsonp && !transport.equals("xhr-polling")) {
            engine.countMalformed();
            log.debug("{}: 0.9 request for transport '{}' refused", engine.host().adapter(), transport);
            text(response, callback, 400, V09Codec.encode(V09Packet.error("", V09Packet.Reason.TRANSPORT_NOT_SUPPORTED, false)));
            return true;
        }
        int index = jsonp ? jsonpIndex(query.getValue("i")) : -1;
        V09Session session = engine.find(sid);
        if (session == null) {
            unknown(response, callback, index, sid);
            return true;
        }
        if (HttpMethod.GET.is(method)) {
            if (!session.poll(response, callback, index)) {
                unknown(response, callback, index, sid); // carried by a WebSocket, or closed meanwhile
            }
            return true;
        }
        if (!HttpMethod.POST.is(method)) {
            engine.countMalformed();
            text(response, callback, 405, V09Codec.encode(V09Packet.error("", V09Packet.Reason.TRANSPORT_NOT_SUPPORTED, false)));
            return true;
        }
        post(request, response, callback, session, jsonp);
        return true;
    }

    private void handshake(Request request, Response response, Callback callback, HandshakeQuery query) {
        String address = Request.getRemoteAddr(request);
        try {
            V09Families.Mode.of(query.getValue("family")); // the namespace layer reads it again
        } catch (IllegalArgumentException e) {
            engine.countMalformed();
            text(response, callback, 400, e.getMessage());
            return;
        }
        // verified identity (docs/socketio.md, "Verified identity"): the handshake's ?token= is checked here; a missing
        // or refused one is answered 403 with the reason, as socket.io 0.9 answers a handshake its authorization refuses
        // (the client emits 'error' with the body)
        SocketIdentity.Admission admission = identity.admit(identity.token(null, query));
        if (admission instanceof SocketIdentity.Refused refused) {
            identity.countRefused(address, refused.detail());
            text(response, callback, 403, "handshake unauthorized: " + refused.detail());
            return;
        }
        if (engine.host().drain().draining()) {
            engine.host().stats().countError(ErrorCode.SHUTTING_DOWN);
            text(response, callback, 503, "the bridge is draining; try another instance or later");
            return;
        }
        if (!engine.host().registry().addresses().tryAcquire(address)) {
            engine.host().stats().countError(ErrorCode.NOT_PERMITTED);
            text(response, callback, 429, "too many connections from " + address);
            return;
        }
        V09Session session = engine.open(address, query);
        if (session == null) {
            engine.host().registry().addresses().release(address);
            text(response, callback, 503, "the bridge is stopping");
            return;
        }
        long timeout = engine.timeoutSeconds();
        String answer = session.sid() + ":" + timeout + ":" + timeout + ":" + TRANSPORTS;
        String jsonp = query.getValue("jsonp");
        if (jsonp != null) {
            response.setStatus(200);
            response.getHeaders().put(HttpHeader.CONTENT_TYPE, "application/javascript");
            response.write(true, utf8("io.j[" + jsonpIndex(jsonp) + "](" + PollWriter.jsString(answer) + ");"), callback);
        } else {
            text(response, callback, 200, answer);
        }
    }

    private void post(Request request, Response response, Callback callback, V09Session session, boolean jsonp) {
        int max = engine.settings().maxHttpBufferSize();
        if (request.getLength() > max) {
            tooLarge(response, callback, session, request.getLength());
            return;
        }
        Content.Source.asByteArrayAsync(request, max).whenComplete((body, failure) -> {
            if (failure != null) {
                tooLarge(response, callback, session, -1);
                return;
            }
            String text;
            try {
                text = StandardCharsets.UTF_8.newDecoder().decode(ByteBuffer.wrap(body)).toString();
                if (jsonp) {
                    text = jsonpBody(text);
                }
            } catch (CharacterCodingException | InvalidJsonException | RuntimeException e) {
                engine.countMalformed();
                log.debug("{}: unreadable 0.9 POST body ignored: {}", engine.host().adapter(), e.toString());
                text(response, callback, 200, "1");
                return;
            }
            session.post(text);
            text(response, callback, 200, "1");
        });
    }

    /** The form field {@code d} of a jsonp-polling POST: a JSON string holding the payload. */
    private static String jsonpBody(String form) throws InvalidJsonException {
        Fields fields = new Fields();
        UrlEncoded.decodeTo(form, fields::add, StandardCharsets.UTF_8);
        String d = fields.getValue("d");
        if (d == null) {
            throw new IllegalArgumentException("jsonp-polling POST without a field d");
        }
        JsonValue value = JsonValue.parse(d);
        if (!value.isString()) {
            throw new IllegalArgumentException("jsonp-polling field d is not a JSON string");
        }
        return value.asText();
    }

    private void tooLarge(Response response, Callback callback, V09Session session, long length) {
        engine.countMalformed();
        engine.host().stats().countError(ErrorCode.TOO_LARGE);
        log.debug("{}: 0.9 POST of {} bytes over socketio.max-http-buffer-size; session ended", engine.host().adapter(), length);
        session.close("payload too large", true);
        response.getHeaders().put(HttpHeader.CONNECTION, "close");
        text(response, callback, 413, "payload over socketio.max-http-buffer-size");
    }

    private void unknown(Response response, Callback callback, int jsonp, String sid) {
        engine.countMalformed();
        log.debug("{}: 0.9 request for unknown session '{}' answered 7:::1+0", engine.host().adapter(), sid);
        String error = V09Codec.encode(V09Packet.error("", V09Packet.Reason.CLIENT_NOT_HANDSHAKEN, true));
        if (jsonp >= 0) {
            response.setStatus(200);
            response.getHeaders().put(HttpHeader.CONTENT_TYPE, "text/javascript; charset=UTF-8");
            response.write(true, utf8("io.j[" + jsonp + "](" + PollWriter.jsString(error) + ");"), callback);
        } else {
            text(response, callback, 200, error);
        }
    }

    /** The JSONP callback index: digits only (anything else is 0, as the reference does). */
    private static int jsonpIndex(String i) {
        if (i == null || i.isEmpty() || i.length() > 6 || !i.chars().allMatch(c -> c >= '0' && c <= '9')) {
            return 0;
        }
        return Integer.parseInt(i);
    }

    private static void text(Response response, Callback callback, int status, String body) {
        response.setStatus(status);
        response.getHeaders().put(HttpHeader.CONTENT_TYPE, "text/plain; charset=UTF-8");
        response.write(true, utf8(body), callback);
    }

    private static ByteBuffer utf8(String s) {
        return ByteBuffer.wrap(s.getBytes(StandardCharsets.UTF_8));
    }
}
