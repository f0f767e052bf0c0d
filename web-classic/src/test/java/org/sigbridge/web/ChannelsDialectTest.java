package org.sigbridge.web;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.sigbridge.testkit.web.WsClient;

/** websocket-over-nodejs frames (docs/dialects.md §2) against a real bridge with real JDK WebSocket clients. */
class ChannelsDialectTest {

    private TestBridge bridge;

    @BeforeEach
    void start() throws Exception {
        bridge = TestBridge.start();
    }

    @AfterEach
    void stop() {
        bridge.close();
    }

    @Test
    void relaysBareDataToOtherMembersButNotTheSender() throws Exception {
        try (WsClient a = WsClient.connect(bridge.ws("/")); WsClient b = WsClient.connect(bridge.ws("/"))) {
            a.send("{\"open\":true,\"channel\":\"room1\"}");
            b.send("{\"open\":true,\"channel\":\"room1\"}");
            b.expectPresent("room1"); // b has joined before a publishes
            a.send("{\"channel\":\"room1\",\"data\":{\"userid\":\"a\",\"x\":1}}");
            b.expect("{\"userid\":\"a\",\"x\":1}");
            a.expectNothing(Duration.ofMillis(200));
        }
    }

    @Test
    void deliversOnlyToMembersOfTheChannel() throws Exception {
        try (WsClient a = WsClient.connect(bridge.ws("/ws/channels"));
             WsClient b = WsClient.connect(bridge.ws("/ws/channels"));
             WsClient other = WsClient.connect(bridge.ws("/ws/channels"))) {
            b.send("{\"open\":true,\"channel\":\"c1\"}");
            b.expectPresent("c1");
            other.send("{\"open\":true,\"channel\":\"c2\"}");
            other.expectPresent("c2");
            a.send("{\"channel\":\"c1\",\"data\":\"hi\"}"); // the sender need not be subscribed
            b.expect("\"hi\"");
            other.expectNothing(Duration.ofMillis(200));
        }
    }

    @Test
    void answersPresenceFalseForAnEmptyChannelAndTrueOnceSomeoneOpensIt() throws Exception {
        try (WsClient probe = WsClient.connect(bridge.ws("/")); WsClient member = WsClient.connect(bridge.ws("/"))) {
            probe.send("{\"checkPresence\":true,\"channel\":\"lonely\"}");
            probe.expect("{\"isChannelPresent\":false}");
            member.send("{\"open\":true,\"channel\":\"lonely\"}");
            member.expectPresent("lonely");
            probe.send("{\"checkPresence\":true,\"channel\":\"lonely\"}");
            probe.expect("{\"isChannelPresent\":true}");
        }
    }

    @Test
    void presenceBecomesFalseWhenTheLastMemberDisconnects() throws Exception {
        try (WsClient probe = WsClient.connect(bridge.ws("/"))) {
            WsClient member = WsClient.connect(bridge.ws("/"));
            member.send("{\"open\":true,\"channel\":\"gone\"}");
            member.expectPresent("gone");
            member.close();
            String answer;
            do {
                probe.send("{\"checkPresence\":true,\"channel\":\"gone\"}");
                answer = probe.next();
            } while (answer.equals("{\"isChannelPresent\":true}"));
            assertTrue(answer.equals("{\"isChannelPresent\":false}"), answer);
        }
    }

    @Test
    void ignoresPresenceCheckWithoutChannelAsTheReferenceDoes() throws Exception {
        try (WsClient a = WsClient.connect(bridge.ws("/"))) {
            a.send("{\"checkPresence\":true}");
            a.send("{\"checkPresence\":true,\"channel\":\"x\"}");
            a.expect("{\"isChannelPresent\":false}"); // the first frame got no answer at all
        }
    }

    @Test
    void dropsFalsyDataAsTheReferenceDoes() throws Exception {
        try (WsClient a = WsClient.connect(bridge.ws("/")); WsClient b = WsClient.connect(bridge.ws("/"))) {
            b.send("{\"open\":true,\"channel\":\"f\"}");
            b.expectPresent("f");
            a.send("{\"channel\":\"f\",\"data\":0}");
            a.send("{\"channel\":\"f\",\"data\":false}");
            a.send("{\"channel\":\"f\",\"data\":\"\"}");
            a.send("{\"channel\":\"f\",\"data\":\"after\"}");
            b.expect("\"after\"");
        }
    }

    @Test
    void keepsPayloadTextExactly() throws Exception {
        try (WsClient a = WsClient.connect(bridge.ws("/")); WsClient b = WsClient.connect(bridge.ws("/"))) {
            b.send("{\"open\":true,\"channel\":\"exact\"}");
            b.expectPresent("exact");
            a.send("{\"channel\":\"exact\",\"data\":\"{\\\"already\\\":\\\"json\\\"}\"}");
            b.expect("\"{\\\"already\\\":\\\"json\\\"}\""); // a string holding JSON stays a string
            a.send("{\"channel\":\"exact\",\"data\":1.50}");
            b.expect("1.50"); // number text kept
            a.send("{\"channel\":\"exact\",\"data\":{\"t\":\"Grüße 👋 \\u00e9\",\"n\":1e3, \"a\":[ 1 , 2 ]}}");
            b.expect("{\"t\":\"Grüße 👋 \\u00e9\",\"n\":1e3, \"a\":[ 1 , 2 ]}"); // unicode and spacing intact
        }
    }

    @Test
    void unicodeChannelNamesWork() throws Exception {
        try (WsClient a = WsClient.connect(bridge.ws("/")); WsClient b = WsClient.connect(bridge.ws("/"))) {
            b.send("{\"open\":true,\"channel\":\"Raum-ß-日本\"}");
            b.expectPresent("Raum-ß-日本");
            a.send("{\"channel\":\"Raum-ß-日本\",\"data\":[1]}");
            b.expect("[1]");
        }
    }
}
