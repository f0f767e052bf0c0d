package org.sigbridge.web.ops;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.ArrayList;
import org.sigbridge.envelope.JsonValue;
import org.sigbridge.routing.RouteMatch;
import org.sigbridge.routing.RouteRule;
import org.sigbridge.routing.RouteTarget;
import org.sigbridge.routing.RoutingTable;
import org.sigbridge.spi.ChannelSnapshot;
import org.sigbridge.spi.Participant;

/** The admin API's JSON bodies. Pure; every string is escaped with {@link JsonValue#string}. */
final class AdminJson {

    private AdminJson() {
    }

    static String str(String s) {
        return JsonValue.string(s).json();
    }

    /** {@code {"channels":[{"name","route":{…},"participants":{"<adapter>":[names]},"envelopesIn","envelopesOut","openedAt"}]}}. */
    static String channels(List<ChannelSnapshot> snapshots) {
        StringBuilder sb = new StringBuilder("{\"channels\":[");
        for (int i = 0; i < snapshots.size(); i++) {
            ChannelSnapshot c = snapshots.get(i);
            Map<String, List<String>> byLeg = new TreeMap<>();
            for (Participant p : c.participants()) {
                byLeg.computeIfAbsent(p.adapter(), a -> new ArrayList<>()).add(p.name());
            }
            sb.append(i > 0 ? "," : "").append("{\"name\":").append(str(c.name()))
                    .append(",\"route\":").append(route(c.route()))
                    .append(",\"participants\":{");
            int n = 0;
            for (Map.Entry<String, List<String>> e : byLeg.entrySet()) {
                sb.append(n++ > 0 ? "," : "").append(str(e.getKey())).append(":[");
                for (int j = 0; j < e.getValue().size(); j++) {
                    sb.append(j > 0 ? "," : "").append(str(e.getValue().get(j)));
                }
                sb.append(']');
            }
            sb.append("},\"envelopesIn\":").append(c.envelopesIn())
                    .append(",\"envelopesOut\":").append(c.envelopesOut())
                    .append(",\"openedAt\":").append(str(c.openedAt().toString())).append('}');
        }
        return sb.append("]}\n").toString();
    }

    /** {@code {"rule":index|null,"pattern":…,"target":…,"explain":…}}. */
    static String route(RouteMatch m) {
        return "{\"rule\":" + m.rule().map(r -> Integer.toString(r.index())).orElse("null")
                + ",\"pattern\":" + m.rule().map(r -> str(r.pattern().toString())).orElse("null")
                + ",\"target\":" + str(m.target().toString())
                + ",\"explain\":" + str(m.explain()) + '}';
    }

    /**
     * How a channel is routed now, and, when it is open, the route it keeps until it closes:
     * {@code {"channel","explain","rule","pattern","source","target","address","open","openRoute"}}.
     */
    static String explain(RouteMatch now, ChannelSnapshot open) {
        String address = now.target() instanceof RouteTarget.Leg ? str(now.expandTarget(v -> v)) : "null";
        StringBuilder sb = new StringBuilder("{\"channel\":").append(str(now.channel()))
                .append(",\"explain\":").append(str(now.explain()))
                .append(",\"rule\":").append(now.rule().map(r -> Integer.toString(r.index())).orElse("null"))
                .append(",\"pattern\":").append(now.rule().map(r -> str(r.pattern().toString())).orElse("null"))
                .append(",\"source\":").append(now.rule().map(r -> str(r.source())).orElse("null"))
                .append(",\"target\":").append(str(now.target().toString()))
                .append(",\"address\":").append(address)
                .append(",\"open\":").append(open != null);
        if (open != null) {
            sb.append(",\"openRoute\":").append(route(open.route()));
        }
        return sb.append("}\n").toString();
    }

    /** {@code {"rules":[{"index","pattern","target","source","hits"}],"default":…}}. */
    static String routes(RoutingTable table) {
        StringBuilder sb = new StringBuilder("{\"rules\":[");
        List<RouteRule> rules = table.rules();
        for (int i = 0; i < rules.size(); i++) {
            RouteRule r = rules.get(i);
            sb.append(i > 0 ? "," : "").append("{\"index\":").append(r.index())
                    .append(",\"pattern\":").append(str(r.pattern().toString()))
                    .append(",\"target\":").append(str(r.target().toString()))
                    .append(",\"source\":").append(str(r.source()))
                    .append(",\"hits\":").append(r.hits().sum()).append('}');
        }
        return sb.append("],\"default\":").append(str(table.defaultTarget().toString())).append("}\n").toString();
    }

    /** {@code {"error":{"code":…,"detail":…}}}: the admin API's own error shape (codes are not browser error codes). */
    static String error(String code, String detail) {
        return "{\"error\":{\"code\":" + str(code) + ",\"detail\":" + str(detail) + "}}\n";
    }
}
