package org.sigbridge.web.socketio.v09;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpMethod;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;
import org.sigbridge.web.http.Replies;

/**
 * A script the build fetched for 0.9 pages (docs/socketio-09.md "Scripts"): the socket.io-client 0.9.16 bundles and
 * Reliable-Signaler's {@code signaler.js}, unmodified, copied into the jar by {@code web-socketio/npm/bundle.sh} from
 * packages {@code npm ci} checked against the integrity hashes in its lock file: the same 0.9.16 files that
 * {@code /socket.io/0.9.16/socket.io.js} serves ({@code ClientBundle}), one copy in the jar. Served for GET and HEAD with an
 * ETag and {@code static-max-age}; 404 with the reason when the build had no npm. Immutable; handlers are thread-safe.
 *
 * @param name    the file name, e.g. {@code socket.io.js}
 * @param version the package version, or {@code null} when the file is not in this build
 * @param body    the file, or {@code null}
 */
record V09Scripts(String name, String version, byte[] body) {

    static final String RESOURCES = "META-INF/sigbridge/socket.io/0.9/";
    static final String MISSING = " is not in this build: it is fetched with npm when sigbridge is built (web-socketio/npm); "
            + "build once with npm and network access";

    /** Loads {@code name}, whose package version is in {@code versionFile}; an absent file or version means missing. */
    static V09Scripts load(ClassLoader loader, String name, String versionFile) {
        byte[] version = read(loader, RESOURCES + versionFile);
        byte[] body = read(loader, RESOURCES + name);
        if (version == null || body == null) {
            return new V09Scripts(name, null, null);
        }
        return new V09Scripts(name, new String(version, StandardCharsets.UTF_8).strip(), body);
    }

    private static byte[] read(ClassLoader loader, String resource) {
        try (InputStream in = loader.getResourceAsStream(resource)) {
            return in == null ? null : in.readAllBytes();
        } catch (IOException e) {
            return null;
        }
    }

    boolean present() {
        return body != null;
    }

    /** Serves the file (or the 404 when missing) for GET and HEAD. */
    Handler handler(Duration maxAge) {
        return new Handler.Abstract.NonBlocking() {
            @Override
            public boolean handle(Request request, Response response, Callback callback) {
                if (!HttpMethod.GET.is(request.getMethod()) && !HttpMethod.HEAD.is(request.getMethod())) {
                    Replies.send(response, callback, 405, Replies.TEXT, "GET only");
                    return true;
                }
                if (body == null) {
                    Replies.send(response, callback, 404, Replies.TEXT, name + MISSING);
                    return true;
                }
                String etag = "\"" + name + "-" + version + "\"";
                response.getHeaders().put(HttpHeader.ETAG, etag);
                response.getHeaders().put(HttpHeader.CACHE_CONTROL, "public, max-age=" + maxAge.toSeconds());
                if (etag.equals(request.getHeaders().get(HttpHeader.IF_NONE_MATCH))) {
                    response.setStatus(304);
                    callback.succeeded();
                    return true;
                }
                response.setStatus(200);
                response.getHeaders().put(HttpHeader.CONTENT_TYPE, "application/javascript; charset=utf-8");
                response.getHeaders().put(HttpHeader.CONTENT_LENGTH, body.length);
                response.write(true, HttpMethod.HEAD.is(request.getMethod()) ? ByteBuffer.allocate(0) : ByteBuffer.wrap(body), callback);
                return true;
            }
        };
    }
}
