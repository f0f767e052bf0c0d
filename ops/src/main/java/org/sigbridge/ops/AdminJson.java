package org.sigbridge.ops;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.sigbridge.routing.RouteMatch;
import org.sigbridge.routing.RouteTarget;
import org.sigbridge.routing.RoutingTable;
import org.sigbridge.spi.ChannelSnapshot;
import org.sigbridge.spi.LegState;
import org.sigbridge.spi.Participant;

/**
 * The ops endpoints' JSON bodies, as records written by one Jackson {@link ObjectMapper}; each body ends with a
 * newline. Pure and thread-safe. The shapes are documented in docs/operations.md (sections 5 and 6).
 */
final class AdminJson {

    private static final ObjectMapper JSON = JsonMapper.builder().build();

    private AdminJson() {
    }

    /** {@code {"channels":[{"name","route":{…},"participants":{"<adapter>":[names]},"envelopesIn","envelopesOut","openedAt"}]}}. */
    static String channels(List<ChannelSnapshot> snapshots) {
        List<ChannelBody> out = new ArrayList<>();
        for (ChannelSnapshot c : snapshots) {
            Map<String, List<String>> byLeg = new TreeMap<>();
            for (Participant p : c.participants()) {
                byLeg.computeIfAbsent(p.adapter(), a -> new ArrayList<>()).add(p.name());
            }
            out.add(new ChannelBody(c.name(), route(c.route()), byLeg, c.envelopesIn(), c.envelopesOut(), c.openedAt().toString()));
        }
        return write(new ChannelsBody(out));
    }

    /**
     * How a channel is routed now, and, when it is open, the route it keeps until it closes:
     * {@code {"channel","explain","rule","pattern","source","target","address","open","openRoute"}}.
     */
    static String explain(RouteMatch now, String upstreamAddress, ChannelSnapshot open) {
        String address = now.target() instanceof RouteTarget.Leg ? upstreamAddress : null;
        return write(new ExplainBody(now.channel(), now.explain(), now.rule().map(r -> r.index()).orElse(null),
                now.rule().map(r -> r.pattern().toString()).orElse(null), now.rule().map(r -> r.source()).orElse(null),
                now.target().toString(), address, open != null, open == null ? null : route(open.route())));
    }

    /** {@code {"rules":[{"index","pattern","target","source","hits"}],"default":…}}. */
    static String routes(RoutingTable table) {
        List<RuleBody> rules = table.rules().stream()
                .map(r -> new RuleBody(r.index(), r.pattern().toString(), r.target().toString(), r.source(), r.hits().sum()))
                .toList();
        return write(new RoutesBody(rules, table.defaultTarget().toString()));
    }

    /** {@code {"reloaded":true,"source":…,"routes":[lines]}}. */
    static String reloaded(String source, List<String> table) {
        return write(new ReloadedBody(true, source, table));
    }

    /** {@code {"error":{"code":…,"detail":…}}}: the admin API's own error shape (codes are not browser error codes). */
    static String error(String code, String detail) {
        return write(new ErrorBody(new ErrorDetail(code, detail)));
    }

    static String drain(DrainStatus status) {
        return write(status);
    }

    /** {@code {"ready":bool,"draining":bool,"notReady":["xmpp: down (…)",…],"legs":[{"adapter","status","ready","detail"}]}}. */
    static String readiness(boolean ready, boolean draining, List<String> notReady, List<LegBody> legs) {
        return write(new ReadinessBody(ready, draining, notReady, legs));
    }

    private static RouteBody route(RouteMatch m) {
        return new RouteBody(m.rule().map(r -> r.index()).orElse(null), m.rule().map(r -> r.pattern().toString()).orElse(null),
                m.target().toString(), m.explain());
    }

    private static String write(Object body) {
        try {
            return JSON.writeValueAsString(body) + "\n";
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write " + body.getClass().getSimpleName() + " as JSON", e);
        }
    }

    record ChannelsBody(List<ChannelBody> channels) {
    }

    @JsonPropertyOrder({"name", "route", "participants", "envelopesIn", "envelopesOut", "openedAt"})
    record ChannelBody(String name, RouteBody route, Map<String, List<String>> participants, long envelopesIn, long envelopesOut,
                       String openedAt) {
    }

    @JsonPropertyOrder({"rule", "pattern", "target", "explain"})
    record RouteBody(Integer rule, String pattern, String target, String explain) {
    }

    @JsonPropertyOrder({"channel", "explain", "rule", "pattern", "source", "target", "address", "open", "openRoute"})
    record ExplainBody(String channel, String explain, Integer rule, String pattern, String source, String target, String address,
                       boolean open, @JsonInclude(JsonInclude.Include.NON_NULL) RouteBody openRoute) {
    }

    @JsonPropertyOrder({"rules", "default"})
    record RoutesBody(List<RuleBody> rules, @JsonProperty("default") String defaultTarget) {
    }

    @JsonPropertyOrder({"index", "pattern", "target", "source", "hits"})
    record RuleBody(int index, String pattern, String target, String source, long hits) {
    }

    @JsonPropertyOrder({"reloaded", "source", "routes"})
    record ReloadedBody(boolean reloaded, String source, List<String> routes) {
    }

    record ErrorBody(ErrorDetail error) {
    }

    @JsonPropertyOrder({"code", "detail"})
    record ErrorDetail(String code, String detail) {
    }

    @JsonPropertyOrder({"ready", "draining", "notReady", "legs"})
    record ReadinessBody(boolean ready, boolean draining, List<String> notReady, List<LegBody> legs) {
    }

    @JsonPropertyOrder({"adapter", "status", "ready", "detail"})
    record LegBody(String adapter, String status, boolean ready, String detail) {

        static LegBody of(LegState leg) {
            return new LegBody(leg.adapter(), leg.status().name().toLowerCase(java.util.Locale.ROOT), leg.status() == LegState.Status.READY,
                    leg.detail());
        }
    }
}
