package org.sigbridge.web.http;

import org.eclipse.jetty.http.pathmap.PathSpec;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.handler.PathMappingsHandler;

/**
 * Jetty 12's {@link PathMappingsHandler} as the host uses it: every dialect's HTTP mounts and the host's own routes
 * (at the default spec {@code /}), most specific spec first. Jetty threads; never blocks.
 *
 * <p>Why a subclass: Jetty 12.1's path-spec request wrapper computes the path in context from the enclosing
 * {@code ContextHandler}'s path and fails with a {@code NullPointerException} when there is none, as here (the host
 * serves the server root without a context). Handlers here read the path themselves, so the request is passed on as
 * it is. HttpSurfaceTest and the XHR tests fail if this assumption breaks. Nothing here reads the matched spec, so it is
 * not set as the {@link PathMappingsHandler#PATHSPEC_ATTR} attribute either: that would make every request an attribute
 * map, which a held long poll keeps for its life (docs/benchmarks.md, "Idle memory per socket.io session, session 12").
 */
public final class PathMounts extends PathMappingsHandler {

    @Override
    protected Request newPathSpecRequest(Request request, PathSpec pathSpec) {
        return request;
    }
}
