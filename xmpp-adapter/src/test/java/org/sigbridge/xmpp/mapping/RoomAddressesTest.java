package org.sigbridge.xmpp.mapping;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.sigbridge.routing.RouteMatch;
import org.sigbridge.routing.RouteTarget;

class RoomAddressesTest {

    @Test
    void lowercasesAndEscapesAChannelFromLocationHref() {
        String jid = room("https://example.org/Demo/?room=A B", "{channel}@conference.localhost");
        assertEquals("https\\3a\\2f\\2fexample.org\\2fdemo\\2f?room=a\\20b@conference.localhost", jid);
    }

    @Test
    void givesChannelsThatDifferOnlyInCaseTheSameRoom() {
        assertEquals(room("Room", "{channel}@conference.localhost"), room("room", "{channel}@conference.localhost"));
    }

    @Test
    void hashesAChannelTooLongForALocalpartDeterministically() {
        String longChannel = "x".repeat(2000);
        String a = room(longChannel, "{channel}@conference.localhost");
        assertTrue(a.startsWith("sb-"), a);
        assertEquals(a, room(longChannel, "{channel}@conference.localhost"));
    }

    @Test
    void usesTheMucServiceWhenTheRouteHasNoTarget() {
        RouteMatch match = new RouteMatch("abc", Optional.empty(), new RouteTarget.Leg("xmpp", "", Map.of()), Map.of("channel", "abc"));
        assertEquals("abc@muc.example.org", RoomAddresses.roomFor(match, "muc.example.org").toString());
    }

    @Test
    void acceptsARoomTemplateWithThePlaceholderInTheLocalpart() {
        assertTrue(RoomAddresses.validateTemplate("{channel}@conference.localhost", null).isEmpty());
        assertTrue(RoomAddresses.validateTemplate("sb-{channel}@conference.localhost", null).isEmpty());
        assertTrue(RoomAddresses.validateTemplate("", "conference.localhost").isEmpty());
    }

    @Test
    void refusesTemplatesThatAreNotRoomJids() {
        assertFalse(RoomAddresses.validateTemplate("", null).isEmpty());
        assertFalse(RoomAddresses.validateTemplate("{channel}", null).isEmpty());
        assertFalse(RoomAddresses.validateTemplate("{channel}@conference.localhost/nick", null).isEmpty());
        assertFalse(RoomAddresses.validateTemplate("lobby@conference.localhost", null).isEmpty());
        assertFalse(RoomAddresses.validateTemplate("room@{channel}", null).isEmpty());
    }

    private static String room(String channel, String template) {
        RouteMatch match = new RouteMatch(channel, Optional.empty(), new RouteTarget.Leg("xmpp", template, Map.of()),
                Map.of("channel", channel));
        return RoomAddresses.roomFor(match, null).toString();
    }
}
