package org.sigbridge.web.http;

import java.net.URI;
import java.util.Collection;
import org.eclipse.jetty.http.HttpURI;
import org.eclipse.jetty.http.UriCompliance;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.websocket.core.Negotiated;

/**
 * A WebSocket upgrade request as Jetty's handshake sees it: the same request, its URI without the query. Jetty's
 * WebSocket core keeps, for each socket's life, the upgrade URI and a map of its query parameters (its
 * {@code Negotiated}: about 0.7 KB of strings, lists and map nodes for a socket.io handshake's query); nothing of
 * sigbridge reads them there, since a dialect's acceptor reads the query once, from the request the client sent
 * ({@link #original}). The URI left, {@code ws://host:port/path}, is the same for every socket of a path, so one
 * instance of it is shared by the sockets of the last path and authority seen (a one-entry cache, bounded).
 *
 * <p>Made by {@link UpgradeGate} on a Jetty thread for each upgrade it passes; docs/benchmarks.md ("Idle memory per
 * socket.io session, session 12").
 */
public final class HandshakeView extends Request.Wrapper {

    /** The last URI handed to a handshake, and the request URI it was made from. */
    private record Shared(HttpURI from, URI uri) {
    }

    /** Shared by the views of one gate. */
    static final class LastUri {
        private volatile Shared last;

        /** What Jetty's handshake makes of {@code from} (a {@code ws}/{@code wss} URI), shared with the last socket's. */
        URI of(HttpURI from) {
            Shared s = last;
            if (s != null && s.from().equals(from)) {
                return s.uri();
            }
            URI uri = Negotiated.toWebsocket(from.toURI());
            last = new Shared(from, uri);
            return uri;
        }
    }

    private final HttpURI uri;

    HandshakeView(Request request, LastUri shared) {
        super(request);
        HttpURI.Immutable without = HttpURI.build(request.getHttpURI()).query(null).asImmutable();
        this.uri = without.getScheme() == null || without.getHost() == null ? without : new SharedUri(without, shared.of(without));
    }

    @Override
    public HttpURI getHttpURI() {
        return uri;
    }

    /** The request the client sent, query included: what a dialect's acceptor reads. {@code request} itself otherwise. */
    public static Request original(Request request) {
        HandshakeView view = Request.as(request, HandshakeView.class);
        return view == null ? request : view.getWrapped();
    }

    /**
     * {@code next} as the upgrade handler's next handler: a request that carries an {@code Upgrade: websocket} header
     * but no WebSocket path of a dialect falls through to the HTTP handlers as the client sent it, query included.
     */
    public static org.eclipse.jetty.server.Handler unwrapping(org.eclipse.jetty.server.Handler next) {
        return new org.eclipse.jetty.server.Handler.Wrapper(next) {
            @Override
            public boolean handle(Request request, Response response, Callback callback) throws Exception {
                return super.handle(original(request), response, callback);
            }
        };
    }

    /** An {@link HttpURI} whose {@link #toURI} is a shared instance; everything else is the wrapped URI's. */
    private record SharedUri(HttpURI.Immutable uri, URI shared) implements HttpURI {
        @Override
        public URI toURI() {
            return shared;
        }

        @Override
        public Immutable asImmutable() {
            return uri;
        }

        @Override
        public String asString() {
            return uri.asString();
        }

        @Override
        public String getAuthority() {
            return uri.getAuthority();
        }

        @Override
        public String getDecodedPath() {
            return uri.getDecodedPath();
        }

        @Override
        public String getCanonicalPath() {
            return uri.getCanonicalPath();
        }

        @Override
        public String getFragment() {
            return uri.getFragment();
        }

        @Override
        public String getHost() {
            return uri.getHost();
        }

        @Override
        public String getParam() {
            return uri.getParam();
        }

        @Override
        public String getPath() {
            return uri.getPath();
        }

        @Override
        public String getPathQuery() {
            return uri.getPathQuery();
        }

        @Override
        public int getPort() {
            return uri.getPort();
        }

        @Override
        public String getQuery() {
            return uri.getQuery();
        }

        @Override
        public String getScheme() {
            return uri.getScheme();
        }

        @Override
        public String getUser() {
            return uri.getUser();
        }

        @Override
        public boolean hasAuthority() {
            return uri.hasAuthority();
        }

        @Override
        public boolean isAbsolute() {
            return uri.isAbsolute();
        }

        @Override
        public boolean isAmbiguous() {
            return uri.isAmbiguous();
        }

        @Override
        public boolean hasViolations() {
            return uri.hasViolations();
        }

        @Override
        public boolean hasViolation(UriCompliance.Violation violation) {
            return uri.hasViolation(violation);
        }

        @Override
        public Collection<UriCompliance.Violation> getViolations() {
            return uri.getViolations();
        }

        @Override
        public String toString() {
            return uri.toString();
        }
    }
}
