package org.sigbridge.web.http;

import org.eclipse.jetty.http.HttpStatus;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;
import org.sigbridge.envelope.JsonValue;
import org.sigbridge.routing.RouteMatch;
import org.sigbridge.routing.RouteTarget;
import org.sigbridge.spi.AdapterContext;
import org.sigbridge.spi.ErrorCode;

/**
 * {@code GET /api/route?channel=c}: how the routing table sends a channel and whether it is present, for the
 * demo page: {@code {"channel":…,"route":"local"|"deny"|"<adapter>","target":…,"explain":…,"present":bool,
 * "participants":[{"adapter":…,"id":…,"name":…}…]}}. {@code target} is the upstream address as the back end spells it
 * (an XEP-0106-escaped room JID, a SIP URI); {@code participants} is the roster now (local endpoints, then the
 * remote ones the channel's link reported).
 */
public final class RouteApi {

    private final AdapterContext context;

    public RouteApi(AdapterContext context) {
        this.context = context;
    }

    public void handle(Request request, Response response, Callback callback) {
        String channel = Request.extractQueryParameters(request).getValue("channel");
        if (channel == null || channel.isEmpty()) {
            Replies.error(response, callback, HttpStatus.BAD_REQUEST_400, ErrorCode.INVALID_FRAME, "add ?channel=<name>", null);
            return;
        }
        RouteMatch match = context.route(channel);
        RouteTarget target = match.target();
        String route = target instanceof RouteTarget.Leg leg ? leg.adapter() : target.toString();
        String expanded = context.upstreamAddress(match);
        String body = "{\"channel\":" + JsonValue.string(channel).json()
                + ",\"route\":" + JsonValue.string(route).json()
                + ",\"target\":" + JsonValue.string(expanded).json()
                + ",\"explain\":" + JsonValue.string(match.explain()).json()
                + ",\"present\":" + context.isPresent(channel)
                + ",\"participants\":" + participants(channel) + '}';
        Replies.send(response, callback, HttpStatus.OK_200, Replies.JSON, body);
    }

    private String participants(String channel) {
        StringBuilder sb = new StringBuilder("[");
        for (org.sigbridge.spi.Participant p : context.participants(channel)) {
            if (sb.length() > 1) {
                sb.append(',');
            }
            sb.append("{\"adapter\":").append(JsonValue.string(p.adapter()).json())
                    .append(",\"id\":").append(JsonValue.string(p.id()).json())
                    .append(",\"name\":").append(JsonValue.string(p.name()).json()).append('}');
        }
        return sb.append(']').toString();
    }
}
