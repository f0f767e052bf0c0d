package org.sigbridge.web.http;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;
import org.sigbridge.spi.ErrorCode;
import org.sigbridge.web.dialect.ServerFrames;

/** Writes whole small responses. Non-blocking: completion goes to the request's callback. */
public final class Replies {

    public static final String JSON = "application/json; charset=utf-8";
    public static final String TEXT = "text/plain; charset=utf-8";

    private Replies() {
    }

    /** A complete response with a body. */
    public static void send(Response response, Callback callback, int status, String contentType, String body) {
        response.setStatus(status);
        response.getHeaders().put(HttpHeader.CONTENT_TYPE, contentType);
        response.getHeaders().put(HttpHeader.CACHE_CONTROL, "no-store");
        response.write(true, ByteBuffer.wrap(body.getBytes(StandardCharsets.UTF_8)), callback);
    }

    /** A JSON error in the docs/design.md §3.9 shape with an HTTP status. */
    public static void error(Response response, Callback callback, int status, ErrorCode code, String detail, String id) {
        send(response, callback, status, JSON, ServerFrames.error(code, detail, id));
    }
}
