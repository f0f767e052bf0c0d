package org.sigbridge.hub;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Clock;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.sigbridge.envelope.Envelope;
import org.sigbridge.routing.RoutePattern;
import org.sigbridge.routing.RouteRule;
import org.sigbridge.routing.RouteTarget;
import org.sigbridge.routing.RoutingTable;
import org.sigbridge.spi.DeliveryResult;
import org.sigbridge.spi.Endpoint;
import org.sigbridge.spi.LegState;
import org.sigbridge.spi.RouteReload;
import org.sigbridge.spi.SubscribeResult;

class RouteReplacementTest {

    private static RoutingTable table(String glob, RouteTarget target) {
        return new RoutingTable(List.of(new RouteRule(0, RoutePattern.glob(glob), target, "t:1")), new RouteTarget.Local());
    }

    private static Endpoint endpoint(String id) {
        return new Endpoint() {
            @Override
            public String id() {
                return id;
            }

            @Override
            public String adapter() {
                return "web";
            }

            @Override
            public DeliveryResult deliver(Envelope envelope) {
                return DeliveryResult.DELIVERED;
            }
        };
    }

    @Test
    void openChannelsKeepTheirRouteAndNewChannelsTakeTheNewTable() {
        Hub hub = new Hub("t", table("a-*", new RouteTarget.Local()), Map.of(), Clock.systemUTC());
        assertEquals(SubscribeResult.SUBSCRIBED, hub.subscribe(endpoint("e1"), "a-1"));

        hub.ops().replaceRoutes(table("a-*", new RouteTarget.Deny()));

        assertInstanceOf(RouteTarget.Local.class, hub.ops().channelSnapshots().get(0).route().target(), "the open channel keeps its route");
        assertEquals(SubscribeResult.SUBSCRIBED, hub.subscribe(endpoint("e2"), "a-1"), "joining an open channel still works");
        assertInstanceOf(SubscribeResult.Refused.class, hub.subscribe(endpoint("e3"), "a-2"), "a new channel takes the new table");
        assertEquals(List.of("e1", "e2"), hub.ops().channelSnapshots().get(0).participants().stream().map(p -> p.id()).toList());
    }

    @Test
    void refusesATableNamingAnAdapterThatIsNotABackEndAndKeepsTheOldOne() {
        RoutingTable old = table("*", new RouteTarget.Local());
        Hub hub = new Hub("t", old, Map.of(), Clock.systemUTC());
        assertThrows(IllegalArgumentException.class, () -> hub.ops().replaceRoutes(table("*", new RouteTarget.Leg("xmpp", "", Map.of()))));
        assertSame(old, hub.ops().routing());
    }

    @Test
    void peekExplainsWithoutCountingAHit() {
        RoutingTable t = table("*", new RouteTarget.Local());
        t.peek("x");
        assertEquals(0, t.rules().get(0).hits().sum());
        t.resolve("x");
        assertEquals(1, t.rules().get(0).hits().sum());
    }

    @Test
    void legsListEveryBackEndAndThoseNotReportedAreStarting() {
        Hub hub = new Hub("t", RoutingTable.allLocal(), Map.of("sip", m -> null, "xmpp", m -> null), Clock.systemUTC());
        hub.legState(new LegState("xmpp", LegState.Status.READY, "joined"));
        List<LegState> legs = hub.ops().legs();
        assertEquals(List.of("sip", "xmpp"), legs.stream().map(LegState::adapter).toList());
        assertEquals(LegState.Status.STARTING, legs.get(0).status());
        assertEquals(LegState.Status.READY, legs.get(1).status());
    }

    @Test
    void reloadIsRefusedUntilTheOwnerSaysHow() {
        Hub hub = new Hub("t", RoutingTable.allLocal(), Map.of(), Clock.systemUTC());
        assertInstanceOf(RouteReload.Refused.class, hub.ops().reloadRoutes());
        hub.ops().reloadWith(() -> new RouteReload.Reloaded("f.yml", List.of("* -> local")));
        assertTrue(hub.ops().reloadRoutes() instanceof RouteReload.Reloaded r && r.source().equals("f.yml"));
    }

    @Test
    void hitsCountChannelOpeningsNotLookups() throws Exception {
        RoutingTable t = new RoutingTable(List.of(
                new RouteRule(0, RoutePattern.glob("a-*"), new RouteTarget.Local(), "t:1"),
                new RouteRule(1, RoutePattern.glob("secret-*"), new RouteTarget.Deny(), "t:2")), new RouteTarget.Local());
        Hub hub = new Hub("t", t, Map.of(), Clock.systemUTC());

        assertEquals(SubscribeResult.SUBSCRIBED, hub.subscribe(endpoint("e1"), "a-1"));
        assertEquals(SubscribeResult.SUBSCRIBED, hub.subscribe(endpoint("e2"), "a-1"));
        hub.route("a-2");
        hub.probePresence("a-3").toCompletableFuture().get();
        assertInstanceOf(SubscribeResult.Refused.class, hub.subscribe(endpoint("e3"), "secret-1"));

        assertEquals(1, t.rules().get(0).hits().sum(), "one channel opened by a-*; a second member, a lookup and a probe do not count");
        assertEquals(1, t.rules().get(1).hits().sum(), "a denied opening counts on the deny rule");
    }
}
