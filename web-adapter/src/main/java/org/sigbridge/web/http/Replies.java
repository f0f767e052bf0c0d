package org.sigbridge.web.http;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;
import org.sigbridge.envelope.JsonValue;
import org.sigbridge.spi.ErrorCode;

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
        send(response, callback, status, JSON, errorJson(code, detail, id));
    }

    /**
     * {@code {"error":{"code":…,"detail":…,"id":…}}} (docs/design.md §3.9), the one error shape of every HTTP answer and of
     * the classic dialects' error frames; {@code id} is left out when {@code null}. Pure.
     */
    public static String errorJson(ErrorCode code, String detail, String id) {
        StringBuilder sb = new StringBuilder(64 + detail.length());
        sb.append("{\"error\":{\"code\":").append(JsonValue.string(code.wire()).json())
                .append(",\"detail\":").append(JsonValue.string(detail).json());
        if (id != null) {
            sb.append(",\"id\":").append(JsonValue.string(id).json());
        }
        return sb.append("}}").toString();
    }
}
