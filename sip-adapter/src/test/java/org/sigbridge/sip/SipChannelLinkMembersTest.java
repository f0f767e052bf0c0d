package org.sigbridge.sip;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.sigbridge.hub.Hub;
import org.sigbridge.routing.RouteMatch;
import org.sigbridge.routing.RoutingTable;
import org.sigbridge.sip.mapping.ContentKind;
import org.sigbridge.sip.mapping.SipMember;
import org.sigbridge.sip.mapping.TransportChoice;
import org.sigbridge.sip.session.Membership;
import org.sigbridge.testing.RecordingEndpoint;

/**
 * Whom a channel's envelope goes to (conf/reference/sip.md, members): the route's target, its static members, and
 * each dynamic member once — none whose address of record is the target or a static member, which the registrar
 * already forks to it (found by the all-dialect soak, docs/reliability.md §5.1: a user agent that was the route's
 * target and answered to the channel got every later envelope twice). A real hub and membership; the link's sender
 * is not needed to choose the members.
 */
class SipChannelLinkMembersTest {

    private final Hub hub = new Hub("test", RoutingTable.allLocal(), Map.of(), Clock.systemUTC());
    private final Membership membership = new Membership("sip", Duration.ofSeconds(60), 10, Clock.systemUTC(), hub);
    private final RouteMatch match = RoutingTable.allLocal().resolve("room1");

    private SipChannelLink link(Optional<String> target, List<String> members) {
        return new SipChannelLink("sip:test:1", "sip", match, new SipRoute(target, ContentKind.JSON, TransportChoice.AUTO, members),
                membership, null, uri -> false, Optional.empty(), () -> { });
    }

    @Test
    void aUserAgentWritingFromTheTargetsOrAStaticMembersAorGetsNoSecondCopyAtItsContact() {
        hub.subscribe(new RecordingEndpoint("b1"), "room1");
        SipChannelLink link = link(Optional.of("sip:alice@localhost"), List.of("sip:desk@localhost;transport=tcp"));
        membership.touch("room1", new SipMember("sip:alice@127.0.0.1:5062", "alice", "sip:alice@localhost"));
        membership.touch("room1", new SipMember("sip:desk@10.0.0.1:5060;transport=tcp", "desk", "sip:desk@localhost"));
        membership.touch("room1", new SipMember("sip:carol@127.0.0.1:5064", "carol", "sip:carol@localhost"));
        assertEquals(List.of("sip:alice@localhost", "sip:desk@localhost;transport=tcp", "sip:carol@127.0.0.1:5064"), link.members());
    }

    @Test
    void anotherBridgeWritingForAPageNamedLikeTheTargetIsStillReachedAtItsContact() {
        hub.subscribe(new RecordingEndpoint("b1"), "room1");
        SipChannelLink link = link(Optional.of("sip:alice@localhost"), List.of());
        membership.touch("room1", new SipMember("sip:room1@127.0.0.1:5070", "alice", "sip:alice@localhost"));
        assertEquals(List.of("sip:alice@localhost", "sip:room1@127.0.0.1:5070"), link.members());
    }

    @Test
    void withoutATargetEveryDynamicMemberIsReachedAtItsContact() {
        hub.subscribe(new RecordingEndpoint("b1"), "room1");
        SipChannelLink link = link(Optional.empty(), List.of());
        membership.touch("room1", new SipMember("sip:alice@127.0.0.1:5062", "alice", "sip:alice@localhost"));
        membership.touch("room1", new SipMember("sip:bob@127.0.0.1:5063", "bob"));
        assertEquals(List.of("sip:alice@127.0.0.1:5062", "sip:bob@127.0.0.1:5063"), link.members());
    }
}
