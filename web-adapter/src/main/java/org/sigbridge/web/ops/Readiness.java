package org.sigbridge.web.ops;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.sigbridge.envelope.JsonValue;
import org.sigbridge.spi.LegState;

/**
 * The {@code /readyz} verdict: ready only when every back-end leg reports READY (connected, registered, rooms
 * joined) and the web adapter is not draining. Pure.
 *
 * @param ready whether to answer 200 (else 503)
 * @param json  {@code {"ready":bool,"draining":bool,"notReady":["xmpp: down (…)",…],"legs":[{"adapter","status","ready","detail"}]}}
 */
public record Readiness(boolean ready, String json) {

    public static Readiness of(List<LegState> legs, boolean draining) {
        List<String> why = new ArrayList<>();
        StringBuilder legJson = new StringBuilder("[");
        for (LegState leg : legs) {
            boolean up = leg.status() == LegState.Status.READY;
            String status = leg.status().name().toLowerCase(Locale.ROOT);
            if (!up) {
                why.add(leg.adapter() + ": " + status + " (" + leg.detail() + ")");
            }
            if (legJson.length() > 1) {
                legJson.append(',');
            }
            legJson.append("{\"adapter\":").append(JsonValue.string(leg.adapter()).json())
                    .append(",\"status\":\"").append(status).append('"')
                    .append(",\"ready\":").append(up)
                    .append(",\"detail\":").append(JsonValue.string(leg.detail()).json()).append('}');
        }
        legJson.append(']');
        if (draining) {
            why.add("web: draining (not accepting new connections)");
        }
        StringBuilder whyJson = new StringBuilder("[");
        for (String w : why) {
            whyJson.append(whyJson.length() > 1 ? "," : "").append(JsonValue.string(w).json());
        }
        whyJson.append(']');
        boolean ready = why.isEmpty();
        return new Readiness(ready, "{\"ready\":" + ready + ",\"draining\":" + draining + ",\"notReady\":" + whyJson
                + ",\"legs\":" + legJson + "}\n");
    }
}
