package org.sigbridge.web.socketio.v09;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.net.URI;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.sigbridge.testkit.bridge.BridgedPair;
import org.sigbridge.testkit.junit.ProsodyExtension;
import org.sigbridge.testkit.web.WsClient;

/**
 * A socketio-over-nodejs page (the real socket.io-client 0.9.16 in Node) on one bridge and a channels page on another,
 * the two bridges joined through one real Prosody MUC room: the 0.9 namespace is a hub channel like any other, so the
 * route carries it unchanged (docs/socketio-09.md).
 */
class V09BridgedTest {

    @RegisterExtension
    static final ProsodyExtension PROSODY = new ProsodyExtension();

    @Test
    void aZeroNinePageAndAChannelsPageOnTwoBridgesMeetInOneMucRoom() throws Exception {
        try (BridgedPair pair = BridgedPair.throughProsody(PROSODY.server(), "mixed", "");
             Node09 page = Node09.start("scenario09.js", pair.eastHttp("/").toString(), "channel-page");
             WsClient channels = WsClient.connect(URI.create(pair.westHttp("/ws/channels").toString().replaceFirst("^http", "ws")))) {
            channels.send("{\"open\":true,\"channel\":\"mixed\"}");
            assertEquals("{\"ready\":true}", page.next(30).toString());
            // each bridge joins the room for "mixed" on its own once a page opened the channel there: a message sent
            // before the other bridge is in the room would reach nobody (a room keeps no history for the bridge)
            pair.awaitBothInRoom("mixed", Duration.ofSeconds(30));
            channels.send("{\"channel\":\"mixed\",\"data\":{\"sdp\":\"offer\"}}");
            assertEquals("{\"heard\":{\"sdp\":\"offer\"}}", page.next(30).toString(), "west's channels page reached the 0.9 page on east");
            assertEquals("{\"sender\":\"old-page\",\"message\":\"hello channels page\"}", channels.next(),
                    "and the 0.9 page's data reached west, unwrapped");
            page.untilDone();
        }
    }
}
