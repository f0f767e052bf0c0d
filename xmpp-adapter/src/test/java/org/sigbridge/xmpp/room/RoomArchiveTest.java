package org.sigbridge.xmpp.room;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.jivesoftware.smack.StanzaCollector;
import org.jivesoftware.smack.filter.AndFilter;
import org.jivesoftware.smack.filter.FromMatchesFilter;
import org.jivesoftware.smack.filter.MessageTypeFilter;
import org.jivesoftware.smack.packet.Message;
import org.jivesoftware.smackx.disco.packet.DiscoverInfo;
import org.jivesoftware.smackx.xdata.FormField;
import org.jivesoftware.smackx.xdata.form.FillableForm;
import org.jivesoftware.smackx.xdata.packet.DataForm;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.jxmpp.jid.EntityBareJid;
import org.sigbridge.testkit.junit.ProsodyExtension;
import org.sigbridge.testkit.xmpp.NativeXmppUser;
import org.sigbridge.xmpp.config.NoStoreMode;
import org.sigbridge.xmpp.config.NoStoreMode.RoomArchiving;

/**
 * How {@link RoomArchive} reads a room's disco#info (XEP-0313: a room that archives lists {@code urn:xmpp:mam:*};
 * XEP-0045 {@code muc#roominfo_logs}) and a configuration-change notice (§10.2.1), against a real Prosody room
 * where one is needed, and how {@link NoStoreMode} turns the answer into the hint.
 */
@Timeout(30)
class RoomArchiveTest {

    @RegisterExtension
    static final ProsodyExtension PROSODY = new ProsodyExtension();

    @Test
    void aProsodyRoomWithoutMamSaysItDoesNotArchive() throws Exception {
        try (NativeXmppUser bob = NativeXmppUser.join(PROSODY.server(), "bob", "archive-1", "bob")) {
            assertEquals(RoomArchiving.NO, RoomArchive.probe(bob.connection(), bob.room().getRoom()));
        }
    }

    @Test
    void aRoomThatDoesNotExistLeavesItUnknown() throws Exception {
        try (NativeXmppUser bob = NativeXmppUser.join(PROSODY.server(), "bob", "archive-2", "bob")) {
            EntityBareJid nowhere = org.jxmpp.jid.impl.JidCreate.entityBareFrom("no-such-room@" + PROSODY.server().mucService());
            assertEquals(RoomArchiving.UNKNOWN, RoomArchive.probe(bob.connection(), nowhere), "item-not-found: no answer either way");
        }
    }

    @Test
    void anMamFeatureOrPublicLogsMeanTheRoomArchives() {
        assertTrue(RoomArchive.archives(DiscoverInfo.builder("d1").addFeature("http://jabber.org/protocol/muc")
                .addFeature("urn:xmpp:mam:2").build()));
        assertTrue(RoomArchive.archives(DiscoverInfo.builder("d2").addFeature("urn:xmpp:mam:1").build()), "an older MAM namespace");
        DataForm logs = DataForm.builder(DataForm.Type.result).setFormType("http://jabber.org/protocol/muc#roominfo")
                .addField(FormField.textSingleBuilder("muc#roominfo_logs").setValue("https://logs.example.org/room").build()).build();
        assertTrue(RoomArchive.archives(DiscoverInfo.builder("d3").addFeature("http://jabber.org/protocol/muc").addExtension(logs).build()));
        assertFalse(RoomArchive.archives(DiscoverInfo.builder("d4").addFeature("http://jabber.org/protocol/muc")
                .addFeature("urn:xmpp:sid:0").build()), "stanza ids alone are no archive");
    }

    @Test
    void theHintFollowsTheModeAndTheAnswer() {
        assertTrue(NoStoreMode.AUTO.groupchat(RoomArchiving.UNKNOWN), "until the room answers");
        assertTrue(NoStoreMode.AUTO.groupchat(RoomArchiving.YES));
        assertFalse(NoStoreMode.AUTO.groupchat(RoomArchiving.NO));
        assertTrue(NoStoreMode.ALWAYS.groupchat(RoomArchiving.NO));
        assertFalse(NoStoreMode.NEVER.groupchat(RoomArchiving.YES));
        assertTrue(NoStoreMode.AUTO.privateMessage(), "no room can say whether the recipient's server archives");
        assertFalse(NoStoreMode.NEVER.privateMessage());
    }

    @Test
    void aConfigurationChangeNoticeFromTheRoomIsAReasonToAskAgain() throws Exception {
        try (NativeXmppUser owner = NativeXmppUser.join(PROSODY.server(), "bob", "archive-3", "owner")) {
            EntityBareJid room = owner.room().getRoom();
            try (StanzaCollector fromRoom = owner.connection().createStanzaCollector(
                    new AndFilter(MessageTypeFilter.GROUPCHAT, FromMatchesFilter.createFull(room)))) {
                FillableForm config = owner.room().getConfigurationForm().getFillableForm();
                config.setAnswer("muc#roomconfig_roomname", "renamed");
                owner.room().sendConfigurationForm(config);
                Message notice = fromRoom.nextResult(10_000);
                while (notice != null && notice.getExtension(org.jivesoftware.smackx.muc.packet.MUCUser.class) == null) {
                    // the room's subject (§7.2.15), sent after the join, may come first: a room message that is no notice
                    assertFalse(RoomArchive.announcesChange(notice), notice.toXML().toString());
                    notice = fromRoom.nextResult(10_000);
                }
                assertNotNull(notice, "Prosody announces the change to the occupants (XEP-0045 §10.2.1)");
                assertTrue(RoomArchive.announcesChange(notice), notice.toXML().toString());
            }
            Message fromOccupant = org.jivesoftware.smack.packet.StanzaBuilder.buildMessage("m1").ofType(Message.Type.groupchat)
                    .from(org.jxmpp.jid.impl.JidCreate.entityFullFrom(room + "/owner")).setBody("104").build();
            assertFalse(RoomArchive.announcesChange(fromOccupant), "only the room itself announces");
        }
    }
}
