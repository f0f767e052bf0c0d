package org.sigbridge.routing;

import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.UnaryOperator;

/**
 * The routing table's answer for one channel.
 *
 * @param channel   the channel name
 * @param rule      the rule that matched; empty when the default route applied
 * @param target    where the channel goes
 * @param variables template variables: {@code channel} and any named regex groups
 */
public record RouteMatch(String channel, Optional<RouteRule> rule, RouteTarget target, Map<String, String> variables) {

    public RouteMatch {
        Objects.requireNonNull(channel, "channel");
        Objects.requireNonNull(rule, "rule");
        Objects.requireNonNull(target, "target");
        variables = Map.copyOf(variables);
    }

    /** The leg target, if this channel goes to a back end. */
    public Optional<RouteTarget.Leg> leg() {
        return target instanceof RouteTarget.Leg leg ? Optional.of(leg) : Optional.empty();
    }

    /**
     * The leg's target template expanded with this match's variables.
     *
     * @param escape how the adapter escapes a variable's value for its address syntax
     * @throws IllegalStateException if the target is not a leg
     */
    public String expandTarget(UnaryOperator<String> escape) {
        RouteTarget.Leg leg = leg().orElseThrow(() -> new IllegalStateException(channel + " is not routed to a back end"));
        return TargetTemplate.expand(leg.template(), variables, escape);
    }

    /** One line: which rule, which target, why. */
    public String explain() {
        return rule.map(r -> "channel '" + channel + "' matches rule #" + r.index() + " (" + r.pattern() + ", " + r.source()
                        + ") -> " + target)
                .orElse("channel '" + channel + "' matches no rule -> default route " + target);
    }
}
