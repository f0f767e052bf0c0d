package org.sigbridge.web.http;

import org.eclipse.jetty.http.HttpStatus;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;
import org.sigbridge.spi.ErrorCode;
import org.sigbridge.web.xhr.XhrHandler;

/**
 * Every plain HTTP request (not a WebSocket upgrade): static files, {@code /api/route} and the
 * XHR endpoints; 404 for anything else. Jetty threads; never blocks.
 */
public final class WebRoutes extends Handler.Wrapper {

    private final StaticResources statics;
    private final RouteApi routeApi;
    private final XhrHandler xhr;

    /**
     * @param xhr      the XHR endpoints, or {@code null} when {@code xhr.enabled} is false
     * @param operator the operator's {@code static-dir} files, or {@code null}; asked after our own routes
     */
    public WebRoutes(StaticResources statics, RouteApi routeApi, XhrHandler xhr, Handler operator) {
        super(operator);
        this.statics = statics;
        this.routeApi = routeApi;
        this.xhr = xhr;
    }

    @Override
    public boolean handle(Request request, Response response, Callback callback) throws Exception {
        String path = Request.getPathInContext(request);
        String method = request.getMethod();
        if (xhr != null && xhr.handle(path, request, response, callback)) {
            return true;
        }
        if (method.equals("GET") || method.equals("HEAD")) {
            if (statics.serve(path, request, response, callback)) {
                return true;
            }
            if (path.equals("/api/route")) {
                routeApi.handle(request, response, callback);
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
