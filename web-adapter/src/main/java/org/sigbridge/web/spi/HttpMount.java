package org.sigbridge.web.spi;

import org.eclipse.jetty.http.pathmap.PathSpec;
import org.eclipse.jetty.server.Handler;

/**
 * A plain HTTP path a dialect serves (long polls, posts, handshakes), mounted in the host's Jetty
 * {@link org.eclipse.jetty.server.handler.PathMappingsHandler} ahead of the host's own routes. The handler runs on
 * Jetty threads and must not block; if it declines a request ({@code handle} returns false), the host's routes
 * answer it (static files, else 404).
 */
public record HttpMount(PathSpec path, Handler handler) {
}
