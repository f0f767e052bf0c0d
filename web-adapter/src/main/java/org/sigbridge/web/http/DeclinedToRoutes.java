package org.sigbridge.web.http;

import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;

/**
 * A dialect's HTTP handler as mounted by the host: what it declines ({@code handle} returns false) goes to the host's
 * own routes, so a request on a dialect's path is never left unanswered. Jetty threads; never blocks.
 */
public final class DeclinedToRoutes extends Handler.Wrapper {

    /** Not a bean of this wrapper: the host's path mappings own and start it. */
    private final Handler routes;

    public DeclinedToRoutes(Handler dialect, Handler routes) {
        super(dialect);
        this.routes = routes;
    }

    @Override
    public boolean handle(Request request, Response response, Callback callback) throws Exception {
        return super.handle(request, response, callback) || routes.handle(request, response, callback);
    }
}
