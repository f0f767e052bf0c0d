package org.sigbridge.routing;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Ordered route rules and a default route. The first rule whose pattern matches the whole channel name
 * decides. Immutable apart from hit counters; thread-safe.
 */
public final class RoutingTable {

    private final List<RouteRule> rules;
    private final RouteTarget defaultTarget;

    /**
     * @param rules         compiled rules in order
     * @param defaultTarget {@link RouteTarget.Local} or {@link RouteTarget.Deny}
     */
    public RoutingTable(List<RouteRule> rules, RouteTarget defaultTarget) {
        Objects.requireNonNull(defaultTarget, "defaultTarget");
        if (defaultTarget instanceof RouteTarget.Leg) {
            throw new IllegalArgumentException("the default route must be local or deny");
        }
        this.rules = List.copyOf(rules);
        this.defaultTarget = defaultTarget;
    }

    /** A table that keeps every channel local. */
    public static RoutingTable allLocal() {
        return new RoutingTable(List.of(), new RouteTarget.Local());
    }

    /** Routes one channel name. Counts a hit on the rule that answered. */
    public RouteMatch resolve(String channel) {
        return match(channel, true);
    }

    /** Routes one channel name without counting a hit: for explanations and admin views. */
    public RouteMatch peek(String channel) {
        return match(channel, false);
    }

    private RouteMatch match(String channel, boolean countHit) {
        for (RouteRule rule : rules) {
            Optional<Map<String, String>> vars = rule.pattern().match(channel);
            if (vars.isPresent()) {
                if (countHit) {
                    rule.hits().increment();
                }
                return new RouteMatch(channel, Optional.of(rule), rule.target(), vars.get());
            }
        }
        return new RouteMatch(channel, Optional.empty(), defaultTarget, Map.of("channel", channel));
    }

    public List<RouteRule> rules() {
        return rules;
    }

    public RouteTarget defaultTarget() {
        return defaultTarget;
    }

    /** The table as aligned {@code pattern -> target} lines, for {@code --check} and start-up logs. */
    public List<String> describe() {
        int width = 1;
        for (RouteRule rule : rules) {
            width = Math.max(width, rule.pattern().toString().length());
        }
        List<String> lines = new ArrayList<>();
        for (RouteRule rule : rules) {
            lines.add(String.format("%-" + width + "s -> %s", rule.pattern(), rule.target()));
        }
        lines.add(String.format("%-" + width + "s -> %s", "(default)", defaultTarget));
        return lines;
    }
}
