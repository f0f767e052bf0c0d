package org.sigbridge.sip.mapping;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The RFC 4575 documents bridges announce their participants in (docs/design.md §5.7): what {@link ConferenceInfo#write}
 * writes reads back exactly, foreign documents are read for their users only, and bodies that are no document this bridge
 * can use are refused with a reason, never parsed with a DTD or external entities (XXE, entity expansion).
 */
class ConferenceInfoTest {

    private static ConferenceInfo read(String xml) {
        return assertInstanceOf(ConferenceInfoParser.Parsed.class, ConferenceInfoParser.parse(xml.getBytes(StandardCharsets.UTF_8))).info();
    }

    private static String refused(String xml) {
        return assertInstanceOf(ConferenceInfoParser.Malformed.class, ConferenceInfoParser.parse(xml.getBytes(StandardCharsets.UTF_8))).reason();
    }

    @Test
    void fullStateReadsBackWithParticipantIdsAndNamesExactly() {
        List<ConferenceInfo.User> users = List.of(new ConferenceInfo.User("k3q9z0m2xa:web-17", "Alice <&\"'> Ä", false),
                new ConferenceInfo.User("2Vb_-x9AAAB", "2Vb_-x9AAAB", false), new ConferenceInfo.User("a b/é;?@%", "tab\there", false));
        ConferenceInfo info = new ConferenceInfo("sip:room%201@example.org", true, 7, users);
        ConferenceInfo back = read(info.write("example.org"));
        assertEquals(info, back);
        assertEquals("room 1", ConferenceInfo.idOf(back.entity()));
    }

    @Test
    void partialStateCarriesDeletedUsers() {
        ConferenceInfo info = new ConferenceInfo("sip:duo@localhost", false, 4294967295L,
                List.of(new ConferenceInfo.User("gone", "gone", true), new ConferenceInfo.User("new", "New One", false)));
        String xml = info.write("localhost");
        assertTrue(xml.contains("state=\"partial\"") && xml.contains("state=\"deleted\""), xml);
        assertEquals(info, read(xml));
    }

    @Test
    void aFocusDocumentIsReadForItsUsersOnly() {
        ConferenceInfo info = read("""
                <?xml version="1.0" encoding="UTF-8"?>
                <conference-info xmlns="urn:ietf:params:xml:ns:conference-info" xmlns:x="urn:example" entity="sips:conf233@example.com" version="1">
                  <conference-description><display-text>Agenda</display-text></conference-description>
                  <x:extra><user entity="sip:nobody@example.com"/></x:extra>
                  <users>
                    <user entity="sip:bob@example.com" state="full">
                      <display-text>Bob Hoskins</display-text>
                      <endpoint entity="sip:bob@pc33.example.com"><display-text>Bob's laptop</display-text>
                        <media id="1"><type>audio</type></media></endpoint>
                    </user>
                    <user entity="tel:+15551234"/>
                  </users>
                </conference-info>
                """);
        assertEquals(new ConferenceInfo("sips:conf233@example.com", true, 1, List.of(new ConferenceInfo.User("bob", "Bob Hoskins", false),
                new ConferenceInfo.User("tel:+15551234", "tel:+15551234", false))), info);
    }

    @Test
    void refusesADoctypeSoNoExternalEntityIsEverRead() {
        assertTrue(refused("""
                <?xml version="1.0"?>
                <!DOCTYPE conference-info [<!ENTITY x SYSTEM "file:///etc/passwd">]>
                <conference-info xmlns="urn:ietf:params:xml:ns:conference-info" entity="sip:a@b" version="1">
                  <users><user entity="sip:u@b"><display-text>&x;</display-text></user></users></conference-info>
                """).contains("DOCTYPE"));
        assertTrue(refused("""
                <!DOCTYPE l [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">]>
                <conference-info xmlns="urn:ietf:params:xml:ns:conference-info" entity="sip:a@b" version="1">&b;</conference-info>
                """).contains("DOCTYPE"));
    }

    @Test
    void refusesWhatIsNoConferenceInfoDocumentWithAReason() {
        String ns = "xmlns=\"urn:ietf:params:xml:ns:conference-info\"";
        assertTrue(refused("{\"json\":true}").startsWith("not well-formed XML"));
        assertTrue(refused("<conference-info " + ns + " entity=\"sip:a@b\" version=\"1\">").startsWith("not well-formed XML"));
        assertTrue(refused("<conference-info entity=\"sip:a@b\" version=\"1\"/>").contains("not conference-info"));
        assertTrue(refused("<conference-info " + ns + " entity=\"sip:a@b\"/>").contains("version"));
        assertTrue(refused("<conference-info " + ns + " entity=\"sip:a@b\" version=\"-1\"/>").contains("version"));
        assertTrue(refused("<conference-info " + ns + " version=\"1\"/>").contains("entity"));
        assertTrue(refused("<conference-info " + ns + " entity=\"sip:a@b\" version=\"1\" state=\"deleted\"/>").contains("state"));
        assertTrue(refused("<conference-info " + ns + " entity=\"sip:a@b\" version=\"1\"><users><user entity=\"sip:u@b\" state=\"deleted\"/></users></conference-info>")
                .contains("full-state"));
        assertTrue(refused("<conference-info " + ns + " entity=\"sip:a@b\" version=\"1\"><users><user/></users></conference-info>").contains("user"));
        assertTrue(refused("<conference-info " + ns + " entity=\"sip:a@b\" version=\"1\">" + "<x>".repeat(40) + "</x>".repeat(40)
                + "</conference-info>").contains("nested"));
    }

    @Test
    void refusesMoreUsersThanTheLimitAndWritesNoMore() {
        List<ConferenceInfo.User> users = new ArrayList<>();
        for (int i = 0; i <= ConferenceInfo.MAX_USERS; i++) {
            users.add(new ConferenceInfo.User("p" + i, "p" + i, false));
        }
        ConferenceInfo many = new ConferenceInfo("sip:a@b", true, 1, users);
        assertEquals(ConferenceInfo.MAX_USERS, read(many.write("b")).users().size());
        StringBuilder xml = new StringBuilder("<conference-info xmlns=\"urn:ietf:params:xml:ns:conference-info\" entity=\"sip:a@b\" version=\"1\"><users>");
        users.forEach(u -> xml.append("<user entity=\"sip:").append(u.id()).append("@b\"/>"));
        assertTrue(refused(xml.append("</users></conference-info>").toString()).contains("more than " + ConferenceInfo.MAX_USERS));
    }

    @Test
    void leavesOutUsersXmlCannotCarry() {
        ConferenceInfo info = new ConferenceInfo("sip:a@b", true, 1, List.of(new ConferenceInfo.User("bad\u0001", "x", false),
                new ConferenceInfo.User("ok", "fine", false)));
        assertEquals(List.of(new ConferenceInfo.User("ok", "fine", false)), read(info.write("b")).users());
    }
}
