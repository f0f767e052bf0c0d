package org.sigbridge.routing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class RoutePatternTest {

    @Test
    void starMatchesAnyChannelIncludingUnicodeAndNewlines() {
        RoutePattern all = RoutePattern.glob("*");
        assertTrue(all.match("https127001:8888demo?x=\u00e9").isPresent());
        assertTrue(all.match("a\nb").isPresent());
    }

    @Test
    void regexCharactersInAGlobAreLiteral() {
        assertTrue(RoutePattern.glob("a+b(c)").match("a+b(c)").isPresent());
        assertTrue(RoutePattern.glob("a+b(c)").match("aab(c)").isEmpty());
    }

    @Test
    void reportsTheRegexEnginesReasonForABadRegex() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> RoutePattern.regex("conf-(unclosed"));
        assertTrue(e.getMessage().startsWith("invalid regex: Unclosed group"), e.getMessage());
    }

    @Test
    void listsTheVariablesAMatchProvides() {
        assertEquals(List.of("channel", "tenant", "room"), RoutePattern.regex("(?<tenant>\\w+)/(?<room>.+)").variables());
        assertEquals(List.of("channel"), RoutePattern.glob("*").variables());
    }
}
