package org.sigbridge.ops;

import java.util.ArrayList;
import java.util.List;
import org.sigbridge.spi.LegState;

/**
 * The {@code /readyz} verdict: ready only when every back-end leg reports READY (connected, registered, rooms
 * joined) and the front end serving it is not draining. Pure.
 *
 * @param ready whether to answer 200 (else 503)
 * @param json  {@code {"ready":bool,"draining":bool,"notReady":["xmpp: down (…)",…],"legs":[{"adapter","status","ready","detail"}]}}
 */
public record Readiness(boolean ready, String json) {

    public static Readiness of(List<LegState> legs, boolean draining) {
        List<String> why = new ArrayList<>();
        List<AdminJson.LegBody> legJson = new ArrayList<>();
        for (LegState leg : legs) {
            AdminJson.LegBody body = AdminJson.LegBody.of(leg);
            if (!body.ready()) {
                why.add(leg.adapter() + ": " + body.status() + " (" + leg.detail() + ")");
            }
            legJson.add(body);
        }
        if (draining) {
            why.add("web: draining (not accepting new connections)");
        }
        boolean ready = why.isEmpty();
        return new Readiness(ready, AdminJson.readiness(ready, draining, why, legJson));
    }
}
