package org.sigbridge.web.http;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpStatus;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;

/**
 * Files served from the jar ({@code org/sigbridge/web/static/}), read once at start into memory (a file served at two
 * paths once). Responses carry a strong {@code ETag} (content hash) and answer {@code If-None-Match} with 304; HTML is
 * {@code no-cache} (always revalidated), scripts and styles are cacheable for {@code static-max-age}. The hash is
 * taken when a file is first served, not at start: a start on the default config hashed six files before the port
 * opened (docs/benchmarks.md, "Start to ready, session 13"). Thread-safe: the file set is fixed at construction.
 */
public final class StaticResources {

    private static final String BASE = "org/sigbridge/web/static/";

    private final Map<String, Resource> byPath = new HashMap<>();
    private final long maxAgeSeconds;

    /**
     * @param routes request path → file name under the static folder, e.g. {@code /} → {@code index.html}
     */
    public StaticResources(Map<String, String> routes, Duration maxAge) {
        this.maxAgeSeconds = maxAge.toSeconds();
        Map<String, Resource> byFile = new HashMap<>();
        for (Map.Entry<String, String> e : routes.entrySet()) {
            byPath.put(e.getKey(), byFile.computeIfAbsent(e.getValue(), StaticResources::load));
        }
    }

    /** The static files every web adapter serves, and the demo's when {@code demo} is on. */
    public static Map<String, String> routes(boolean demo) {
        Map<String, String> routes = new HashMap<>();
        routes.put("/sigbridge.js", "sigbridge.js");
        // Browsers ask for /favicon.ico on every page of the origin; an SVG answers it (Chromium and Firefox take the type).
        routes.put("/favicon.ico", "favicon.svg");
        routes.put("/favicon.svg", "favicon.svg");
        if (demo) {
            for (String f : List.of("index.html", "demo.js", "demo.css")) {
                routes.put("/" + f, f);
            }
            routes.put("/", "index.html");
        }
        return routes;
    }

    /** Serves {@code path} if it is one of ours; false otherwise. */
    public boolean serve(String path, Request request, Response response, Callback callback) {
        Resource r = byPath.get(path);
        if (r == null) {
            return false;
        }
        String etag = r.etag();
        response.getHeaders().put(HttpHeader.ETAG, etag);
        response.getHeaders().put(HttpHeader.CACHE_CONTROL, r.html ? "no-cache" : "public, max-age=" + maxAgeSeconds);
        response.getHeaders().put("X-Content-Type-Options", "nosniff");
        String ifNoneMatch = request.getHeaders().get(HttpHeader.IF_NONE_MATCH);
        if (etag.equals(ifNoneMatch)) {
            response.setStatus(HttpStatus.NOT_MODIFIED_304);
            callback.succeeded();
            return true;
        }
        response.setStatus(HttpStatus.OK_200);
        response.getHeaders().put(HttpHeader.CONTENT_TYPE, r.contentType);
        response.getHeaders().put(HttpHeader.CONTENT_LENGTH, r.bytes.length);
        boolean head = request.getMethod().equals("HEAD");
        response.write(true, head ? ByteBuffer.allocate(0) : ByteBuffer.wrap(r.bytes), callback);
        return true;
    }

    private static Resource load(String name) {
        try (InputStream in = StaticResources.class.getClassLoader().getResourceAsStream(BASE + name)) {
            if (in == null) {
                throw new IllegalStateException("static file " + BASE + name + " is missing from the jar");
            }
            return new Resource(in.readAllBytes(), contentType(name), name.endsWith(".html"));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read static file " + name, e);
        }
    }

    private static String contentType(String name) {
        if (name.endsWith(".html")) {
            return "text/html; charset=utf-8";
        }
        if (name.endsWith(".js")) {
            return "text/javascript; charset=utf-8";
        }
        if (name.endsWith(".svg")) {
            return "image/svg+xml";
        }
        if (name.endsWith(".css")) {
            return "text/css; charset=utf-8";
        }
        return "application/octet-stream";
    }

    /** One file; its ETag is made on first use (two threads may both make it: the same value). */
    private static final class Resource {
        private final byte[] bytes;
        private final String contentType;
        private final boolean html;
        private volatile String etag;

        Resource(byte[] bytes, String contentType, boolean html) {
            this.bytes = bytes;
            this.contentType = contentType;
            this.html = html;
        }

        /** The first 12 bytes of the content's SHA-256, in hex and quotes. */
        String etag() {
            String e = etag;
            if (e == null) {
                try {
                    e = '"' + HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes), 0, 12) + '"';
                } catch (NoSuchAlgorithmException x) {
                    throw new IllegalStateException("SHA-256 is part of every JDK", x);
                }
                etag = e;
            }
            return e;
        }
    }
}
