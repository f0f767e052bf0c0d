package org.sigbridge.web.socketio;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Optional;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpMethod;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;
import org.sigbridge.web.http.Replies;

/**
 * One unmodified socket.io-client {@code dist} bundle built into the jar by {@code npm/bundle.sh} (npm ci against the
 * integrity hashes of {@code npm/package-lock.json}), one per major version ({@code 4}, {@code 2}, {@code 1},
 * {@code 0.9}): served at {@code /socket.io/<version>/socket.io.js} and {@code .min.js}, and, for the major version
 * {@code socketio.client-bundle} names, at {@code /socket.io/socket.io.js} and {@code .min.js} as the reference
 * server serves its own (docs/socketio.md). Without it (built without npm) those paths answer 404 with the reason.
 * Immutable; the handler runs on Jetty threads and never blocks.
 *
 * @param version the client version, e.g. {@code 4.8.4}, when present
 * @param full    {@code socket.io.js}
 * @param min     {@code socket.io.min.js}
 */
record ClientBundle(Optional<String> version, byte[] full, byte[] min) {

    /** Where {@code npm/bundle.sh} puts the files, on the class path: one directory per major version. */
    static final String RESOURCES = "META-INF/sigbridge/socket.io/";
    static final String MISSING = "the socket.io client bundle is not in this build: it is fetched with npm when sigbridge is built "
            + "(web-socketio/npm/bundle.sh), and npm or the network was not available then; load socket.io-client from your own "
            + "server (docs/socketio.md)";

    /** The bundle of a major version ({@code 4}, {@code 2}, {@code 1}, {@code 0.9}) in the jar. */
    static ClientBundle major(ClassLoader loader, String major) {
        return load(loader, RESOURCES + major + "/");
    }

    /**
     * The version {@code npm/package-lock.json} pins for a major version, recorded by the build even when the bundle
     * itself could not be fetched (it names the versioned path, which then answers 404), if the build recorded it.
     */
    static Optional<String> pinned(ClassLoader loader, String major) {
        try {
            byte[] pinned = read(loader, RESOURCES + major + "/PINNED");
            return pinned == null ? Optional.empty() : Optional.of(new String(pinned, StandardCharsets.UTF_8).strip()).filter(v -> !v.isEmpty());
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    /** Loads the bundles under {@code resources} from {@code loader}; an absent version means missing. */
    static ClientBundle load(ClassLoader loader, String resources) {
        try {
            byte[] version = read(loader, resources + "VERSION");
            byte[] full = read(loader, resources + "socket.io.js");
            byte[] min = read(loader, resources + "socket.io.min.js");
            if (version == null || full == null || min == null) {
                return new ClientBundle(Optional.empty(), new byte[0], new byte[0]);
            }
            return new ClientBundle(Optional.of(new String(version, StandardCharsets.UTF_8).strip()), full, min);
        } catch (IOException e) {
            return new ClientBundle(Optional.empty(), new byte[0], new byte[0]);
        }
    }

    private static byte[] read(ClassLoader loader, String name) throws IOException {
        try (InputStream in = loader.getResourceAsStream(name)) {
            return in == null ? null : in.readAllBytes();
        }
    }

    /** Serves {@code body} (or the 404 when missing) for GET and HEAD. */
    Handler handler(boolean minified, Duration maxAge) {
        return new Handler.Abstract.NonBlocking() {
            @Override
            public boolean handle(Request request, Response response, Callback callback) {
                if (!HttpMethod.GET.is(request.getMethod()) && !HttpMethod.HEAD.is(request.getMethod())) {
                    Replies.send(response, callback, 405, Replies.TEXT, "GET only");
                    return true;
                }
                if (version.isEmpty()) {
                    Replies.send(response, callback, 404, Replies.TEXT, MISSING);
                    return true;
                }
                String etag = "\"socket.io-client-" + version.get() + (minified ? "-min" : "") + "\"";
                response.getHeaders().put(HttpHeader.ETAG, etag);
                response.getHeaders().put(HttpHeader.CACHE_CONTROL, "public, max-age=" + maxAge.toSeconds());
                if (etag.equals(request.getHeaders().get(HttpHeader.IF_NONE_MATCH))) {
                    response.setStatus(304);
                    callback.succeeded();
                    return true;
                }
                response.setStatus(200);
                response.getHeaders().put(HttpHeader.CONTENT_TYPE, "application/javascript; charset=utf-8");
                byte[] body = minified ? min : full;
                response.getHeaders().put(HttpHeader.CONTENT_LENGTH, body.length);
                response.write(true, HttpMethod.HEAD.is(request.getMethod()) ? ByteBuffer.allocate(0) : ByteBuffer.wrap(body), callback);
                return true;
            }
        };
    }
}
