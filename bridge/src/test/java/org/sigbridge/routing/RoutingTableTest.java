package org.sigbridge.routing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RoutingTableTest {

    private final RouteTarget.Leg xmpp = new RouteTarget.Leg("xmpp", "{room}@conference.example.org", Map.of());

    private RoutingTable table(RouteTarget fallback) {
        return new RoutingTable(List.of(
                new RouteRule(0, RoutePattern.glob("local-*"), new RouteTarget.Local(), "t:1"),
                new RouteRule(1, RoutePattern.regex("conf-(?<room>[a-z0-9]+)"), xmpp, "t:2"),
                new RouteRule(2, RoutePattern.glob("secret?"), new RouteTarget.Deny(), "t:3")), fallback);
    }

    @Test
    void firstMatchingRuleWins() {
        RouteMatch m = table(new RouteTarget.Deny()).resolve("local-conf-a");
        assertInstanceOf(RouteTarget.Local.class, m.target());
        assertEquals(0, m.rule().orElseThrow().index());
    }

    @Test
    void namedRegexGroupsFillTheTargetTemplate() {
        RouteMatch m = table(new RouteTarget.Local()).resolve("conf-abc");
        assertEquals("abc@conference.example.org", m.expandTarget(s -> s));
        assertEquals(Map.of("channel", "conf-abc", "room", "abc"), m.variables());
    }

    @Test
    void regexMustMatchTheWholeChannelName() {
        RouteMatch m = table(new RouteTarget.Local()).resolve("conf-abc-extra");
        assertTrue(m.rule().isEmpty());
    }

    @Test
    void globQuestionMarkIsOneCharacterAndOtherCharactersAreLiteral() {
        RoutingTable t = table(new RouteTarget.Local());
        assertInstanceOf(RouteTarget.Deny.class, t.resolve("secret1").target());
        assertInstanceOf(RouteTarget.Local.class, t.resolve("secret12").target());
        RoutePattern dots = RoutePattern.glob("a.b*");
        assertTrue(dots.match("a.bc").isPresent());
        assertTrue(dots.match("axbc").isEmpty());
    }

    @Test
    void unmatchedChannelsTakeTheDefaultRoute() {
        assertInstanceOf(RouteTarget.Deny.class, table(new RouteTarget.Deny()).resolve("other").target());
        assertInstanceOf(RouteTarget.Local.class, table(new RouteTarget.Local()).resolve("other").target());
    }

    @Test
    void countsHitsPerRule() {
        RoutingTable t = table(new RouteTarget.Local());
        t.resolve("conf-a");
        t.resolve("conf-b");
        t.resolve("local-x");
        assertEquals(2, t.rules().get(1).hits().sum());
        assertEquals(1, t.rules().get(0).hits().sum());
    }

    @Test
    void escapesVariablesWithTheAdaptersEscaper() {
        RouteMatch m = new RoutingTable(List.of(new RouteRule(0, RoutePattern.glob("*"),
                new RouteTarget.Leg("xmpp", "{channel}@muc", Map.of()), "t:1")), new RouteTarget.Local()).resolve("A B");
        assertEquals("a\\20b@muc", m.expandTarget(s -> s.toLowerCase().replace(" ", "\\20")));
    }

    @Test
    void describesEachRuleAndTheDefault() {
        List<String> lines = table(new RouteTarget.Local()).describe();
        assertEquals(4, lines.size());
        assertEquals("regex:conf-(?<room>[a-z0-9]+) -> xmpp {room}@conference.example.org", lines.get(1));
        assertTrue(lines.get(3).startsWith("(default)"));
    }

    @Test
    void refusesALegAsDefaultRoute() {
        assertThrows(IllegalArgumentException.class, () -> new RoutingTable(List.of(), xmpp));
    }

    @Test
    void explainsWhichRuleMatched() {
        assertEquals("channel 'conf-x' matches rule #1 (regex:conf-(?<room>[a-z0-9]+), t:2) -> xmpp {room}@conference.example.org",
                table(new RouteTarget.Local()).resolve("conf-x").explain());
    }
}
