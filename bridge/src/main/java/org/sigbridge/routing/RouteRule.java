package org.sigbridge.routing;

import java.util.Objects;
import java.util.concurrent.atomic.LongAdder;

/**
 * One compiled rule of the routing table, with its hit counter.
 *
 * @param index   position in the table, from 0
 * @param pattern the compiled pattern
 * @param target  where matching channels go
 * @param source  where it was written, e.g. {@code conf/sigbridge.yml:14}, for explanations
 * @param hits    how many channel openings this rule answered (counted by the hub when it opens or refuses a channel;
 *                {@link RoutingTable#resolve} counts too, {@link RoutingTable#peek} does not)
 */
public record RouteRule(int index, RoutePattern pattern, RouteTarget target, String source, LongAdder hits) {

    public RouteRule {
        Objects.requireNonNull(pattern, "pattern");
        Objects.requireNonNull(target, "target");
        Objects.requireNonNull(source, "source");
        Objects.requireNonNull(hits, "hits");
    }

    public RouteRule(int index, RoutePattern pattern, RouteTarget target, String source) {
        this(index, pattern, target, source, new LongAdder());
    }
}
