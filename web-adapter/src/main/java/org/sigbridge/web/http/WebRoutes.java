package org.sigbridge.web.http;

import org.eclipse.jetty.http.HttpStatus;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;
import org.sigbridge.spi.ErrorCode;

/**
 * The host's own plain HTTP routes, asked after every dialect's HTTP mounts: static files, {@code /api/route},
 * {@code /api/ice-servers},
 * the operator's {@code static-dir}; 404 for anything else. Jetty threads; never blocks.
 */
public final class WebRoutes extends Handler.Wrapper {

    private final StaticResources statics;
    private final RouteApi routeApi;
    private final IceServersApi iceServersApi;

    /**
     * @param operator the operator's {@code static-dir} files, or {@code null}; asked after our own routes
     */
    public WebRoutes(StaticResources statics, RouteApi routeApi, IceServersApi iceServersApi, Handler operator) {
        super(operator);
        this.statics = statics;
        this.routeApi = routeApi;
        this.iceServersApi = iceServersApi;
    }

    @Override
    public boolean handle(Request request, Response response, Callback callback) throws Exception {
        String path = Request.getPathInContext(request);
        String method = request.getMethod();
        if (method.equals("GET") || method.equals("HEAD")) {
            if (statics.serve(path, request, response, callback)) {
                return true;
            }
            if (path.equals("/api/route")) {
                routeApi.handle(request, response, callback);
                return true;
            }
            if (path.equals("/api/ice-servers")) {
                iceServersApi.handle(response, callback);
                return true;
            }
        }
        if (getHandler() != null && super.handle(request, response, callback)) {
            return true;
        }
        Replies.error(response, callback, HttpStatus.NOT_FOUND_404, ErrorCode.INVALID_FRAME, "nothing at " + method + " " + path, null);
        return true;
    }
}
