package org.sigbridge.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.sigbridge.envelope.JsonObjectReader;
import org.sigbridge.envelope.JsonValue;
import org.sigbridge.testkit.web.WsClient;

/** The {sender, channel, message} dialect against a real bridge. */
class EnvelopeDialectTest {

    private TestBridge bridge;

    @BeforeEach
    void start() throws Exception {
        bridge = TestBridge.start();
    }

    @AfterEach
    void stop() {
        bridge.close();
    }

    private static Map<String, JsonValue> fields(String json) throws Exception {
        return JsonObjectReader.readObject(json);
    }

    @Test
    void socketWithChannelInUrlReceivesWholeEnvelopesBeforeSendingAnything() throws Exception {
        try (WsClient listener = WsClient.connect(bridge.ws("/?channel=room"));
             WsClient sender = WsClient.connect(bridge.ws("/ws/envelope"))) {
            listener.expectPresent("room"); // its ?channel= join happened on open, before any frame
            sender.send("{\"sender\":42,\"channel\":\"room\",\"message\":{\"sdp\":\"v=0\"}}");
            Map<String, JsonValue> got = fields(listener.next());
            assertEquals("42", got.get("sender").json()); // a numeric sender stays a number
            assertEquals("\"room\"", got.get("channel").json());
            assertEquals("{\"sdp\":\"v=0\"}", got.get("message").json());
            assertTrue(got.get("id").isString());
            sender.expectNothing(Duration.ofMillis(200)); // the sender is excluded
        }
    }

    @Test
    void socketJoinsByItsFirstSend() throws Exception {
        try (WsClient a = WsClient.connect(bridge.ws("/ws/envelope")); WsClient b = WsClient.connect(bridge.ws("/ws/envelope"))) {
            a.send("{\"sender\":\"a\",\"channel\":\"c\",\"message\":\"hello\"}");
            a.expectPresent("c");
            b.send("{\"sender\":\"b\",\"channel\":\"c\",\"message\":\"hi a\"}");
            assertEquals("\"hi a\"", fields(a.next()).get("message").json());
        }
    }

    @Test
    void socketJoinsByOpenFrame() throws Exception {
        try (WsClient a = WsClient.connect(bridge.ws("/ws/envelope")); WsClient b = WsClient.connect(bridge.ws("/"))) {
            a.send("{\"open\":true,\"channel\":\"c\",\"sender\":\"a\"}");
            a.expectPresent("c");
            b.send("{\"sender\":\"b\",\"channel\":\"c\",\"message\":{\"k\":[true,null]}}");
            assertEquals("{\"k\":[true,null]}", fields(a.next()).get("message").json());
        }
    }

    @Test
    void rootSocketBecomesEnvelopeSocketWhenItsFirstOpenNamesASender() throws Exception {
        try (WsClient a = WsClient.connect(bridge.ws("/")); WsClient b = WsClient.connect(bridge.ws("/ws/envelope"))) {
            a.send("{\"open\":true,\"channel\":\"c\",\"sender\":\"a\"}");
            a.expectPresent("c");
            b.send("{\"sender\":\"b\",\"channel\":\"c\",\"message\":1}");
            assertEquals("\"b\"", fields(a.next()).get("sender").json());
        }
    }

    @Test
    void acceptsDoubleEncodedEnvelope() throws Exception {
        try (WsClient a = WsClient.connect(bridge.ws("/?channel=d")); WsClient b = WsClient.connect(bridge.ws("/ws/envelope"))) {
            b.send("\"{\\\"sender\\\":\\\"b\\\",\\\"channel\\\":\\\"d\\\",\\\"message\\\":\\\"{\\\\\\\"x\\\\\\\":1}\\\"}\"");
            Map<String, JsonValue> got = fields(a.next());
            assertEquals("\"b\"", got.get("sender").json());
            assertEquals("\"{\\\"x\\\":1}\"", got.get("message").json()); // the inner string stays a string
        }
    }

    @Test
    void keepsTheClientsEnvelopeId() throws Exception {
        try (WsClient a = WsClient.connect(bridge.ws("/?channel=i")); WsClient b = WsClient.connect(bridge.ws("/ws/envelope"))) {
            b.send("{\"id\":\"my-id-1\",\"sender\":\"b\",\"channel\":\"i\",\"message\":2}");
            assertEquals("\"my-id-1\"", fields(a.next()).get("id").json());
        }
    }

    @Test
    void channelsAndEnvelopeSocketsShareAChannel() throws Exception {
        try (WsClient env = WsClient.connect(bridge.ws("/?channel=mix")); WsClient ch = WsClient.connect(bridge.ws("/ws/channels"))) {
            ch.send("{\"open\":true,\"channel\":\"mix\"}");
            ch.expectPresent("mix");
            ch.send("{\"channel\":\"mix\",\"data\":{\"from\":\"channels\"}}");
            Map<String, JsonValue> got = fields(env.next());
            assertEquals("null", got.get("sender").json());
            assertEquals("{\"from\":\"channels\"}", got.get("message").json());
            env.send("{\"sender\":\"e\",\"channel\":\"mix\",\"message\":{\"from\":\"envelope\"}}");
            ch.expect("{\"from\":\"envelope\"}");
        }
    }

    @Test
    void leaveFrameStopsDeliveries() throws Exception {
        try (WsClient a = WsClient.connect(bridge.ws("/?channel=l")); WsClient b = WsClient.connect(bridge.ws("/ws/envelope"))) {
            a.send("{\"leave\":true,\"channel\":\"l\"}");
            a.send("{\"checkPresence\":true,\"channel\":\"l\"}");
            a.expect("{\"isChannelPresent\":false}");
            b.send("{\"sender\":\"b\",\"channel\":\"l\",\"message\":1}");
            a.expectNothing(Duration.ofMillis(200));
        }
    }

    @Test
    void presenceEventsGoOnlyToSocketsThatOptedIn() throws Exception {
        try (WsClient optedIn = WsClient.connect(bridge.ws("/?channel=p"));
             WsClient seed = WsClient.connect(bridge.ws("/?channel=p"))) {
            // seed's join first (a round trip on its socket), then the opt-in: otherwise seed's join, processed after
            // the opt-in, is the first presence event optedIn hears.
            seed.expectPresent("p");
            optedIn.send("{\"presence\":true}");
            optedIn.expectPresent("p");
            WsClient joiner = WsClient.connect(bridge.ws("/?channel=p"));
            Map<String, JsonValue> joined = fields(fields(optedIn.next()).get("presence").json());
            assertEquals("\"joined\"", joined.get("event").json());
            assertEquals("\"p\"", joined.get("channel").json());
            joiner.close();
            Map<String, JsonValue> left = fields(fields(optedIn.next()).get("presence").json());
            assertEquals("\"left\"", left.get("event").json());
            assertEquals("true", left.get("present").json());
            seed.expectNothing(Duration.ofMillis(200));
        }
    }
}
