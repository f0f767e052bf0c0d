package org.sigbridge.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.CookieManager;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.sigbridge.envelope.JsonObjectReader;
import org.sigbridge.envelope.JsonValue;
import org.sigbridge.testkit.web.WsClient;

/** XHR-Signaling (docs/dialects.md §4) with a real JDK HTTP client that keeps cookies like a browser. */
class XhrDialectTest {

    private TestBridge bridge;
    private HttpClient alice;
    private HttpClient bob;

    @BeforeEach
    void start() throws Exception {
        bridge = TestBridge.start();
        alice = HttpClient.newBuilder().cookieHandler(new CookieManager()).build();
        bob = HttpClient.newBuilder().cookieHandler(new CookieManager()).build();
    }

    @AfterEach
    void stop() {
        bridge.close();
    }

    private HttpResponse<String> post(HttpClient client, String path, String message) throws Exception {
        String form = "message=" + URLEncoder.encode(message, StandardCharsets.UTF_8);
        return client.send(HttpRequest.newBuilder(bridge.http(path)).timeout(Duration.ofSeconds(10))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(form)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<String> postMultipart(HttpClient client, String path, String message) throws Exception {
        String boundary = "----sigbridgeTestBoundary";
        String body = "--" + boundary + "\r\nContent-Disposition: form-data; name=\"message\"\r\n\r\n" + message + "\r\n--" + boundary + "--\r\n";
        return client.send(HttpRequest.newBuilder(bridge.http(path)).timeout(Duration.ofSeconds(10))
                .header("Content-Type", "multipart/form-data; boundary=" + boundary)
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private String getData(HttpClient client) throws Exception {
        HttpResponse<String> r = postMultipart(client, "/Home/GetData", "undefined");
        assertEquals(200, r.statusCode());
        return r.body();
    }

    private static Map<String, JsonValue> envelopeIn(String getDataAnswer) throws Exception {
        Map<String, JsonValue> answer = JsonObjectReader.readObject(getDataAnswer);
        assertTrue(answer.get("ID").json().matches("\\d+"), getDataAnswer);
        assertTrue(answer.get("Date").asText().startsWith("/Date("), getDataAnswer);
        return JsonObjectReader.readObject(answer.get("Message").asText());
    }

    @Test
    void postDataAnswersTrueAndGetDataReturnsTheEnvelopeOnceThenFalse() throws Exception {
        assertEquals("false", getData(bob)); // bob's first poll: nothing yet, and his cookie is set
        HttpResponse<String> posted = postMultipart(alice, "/Home/PostData",
                "{\"channel\":\"room\",\"message\":{\"sdp\":\"v=0\"},\"sender\":\"alice\"}");
        assertEquals("true", posted.body());
        Map<String, JsonValue> env = envelopeIn(getData(bob));
        assertEquals("\"room\"", env.get("channel").json());
        assertEquals("{\"sdp\":\"v=0\"}", env.get("message").json());
        assertEquals("\"alice\"", env.get("sender").json());
        assertEquals("false", getData(bob));
    }

    @Test
    void aPollerSeesItsOwnPostsAsTheOriginalDid() throws Exception {
        getData(alice);
        post(alice, "/Home/PostData", "{\"channel\":\"r\",\"message\":1,\"sender\":\"alice\"}");
        assertEquals("\"alice\"", envelopeIn(getData(alice)).get("sender").json());
    }

    @Test
    void cursorLosesNothingUnderABurst() throws Exception {
        getData(bob);
        for (int i = 0; i < 60; i++) {
            post(alice, "/Home/PostData", "{\"channel\":\"burst\",\"message\":" + i + ",\"sender\":\"alice\"}");
        }
        List<String> got = new ArrayList<>();
        String answer;
        while (!(answer = getData(bob)).equals("false")) {
            got.add(envelopeIn(answer).get("message").json());
        }
        List<String> expected = new ArrayList<>();
        for (int i = 0; i < 60; i++) {
            expected.add(Integer.toString(i));
        }
        assertEquals(expected, got);
    }

    @Test
    void longPollAnswersAsSoonAsAMessageArrives() throws Exception {
        getData(bob);
        CompletableFuture<HttpResponse<String>> held = bob.sendAsync(HttpRequest.newBuilder(bridge.http("/Home/LongPoll?wait=20000"))
                .POST(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
        // the poll is held: it has not answered after a while
        org.junit.jupiter.api.Assertions.assertThrows(java.util.concurrent.TimeoutException.class,
                () -> held.get(300, TimeUnit.MILLISECONDS));
        long t0 = System.nanoTime();
        post(alice, "/Home/PostData", "{\"channel\":\"lp\",\"message\":\"wake\",\"sender\":\"alice\"}");
        HttpResponse<String> r = held.get(5, TimeUnit.SECONDS);
        assertTrue(Duration.ofNanos(System.nanoTime() - t0).compareTo(Duration.ofSeconds(2)) < 0);
        assertEquals("\"wake\"", envelopeIn(r.body()).get("message").json());
    }

    @Test
    void longPollAnswersFalseAfterItsWait() throws Exception {
        getData(bob);
        HttpResponse<String> r = bob.send(HttpRequest.newBuilder(bridge.http("/Home/LongPoll?wait=200"))
                .POST(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals("false", r.body());
    }

    @Test
    void xhrAndWebSocketClientsShareAChannel() throws Exception {
        getData(bob);
        try (WsClient ws = WsClient.connect(bridge.ws("/?channel=both"))) {
            ws.expectPresent("both");
            post(alice, "/Home/PostData", "{\"channel\":\"both\",\"message\":{\"from\":\"xhr\"},\"sender\":\"alice\"}");
            assertEquals("{\"from\":\"xhr\"}", JsonObjectReader.readObject(ws.next()).get("message").json());
            ws.send("{\"sender\":\"w\",\"channel\":\"both\",\"message\":{\"from\":\"ws\"}}");
            // GetData answers `false` until the socket's envelope is in bob's mailbox (the WebSocket read and the hub run
            // on another thread than this one: seen under load), and alice's envelope may come first.
            String answer;
            long deadline = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(10);
            do {
                assertTrue(System.nanoTime() < deadline, "the WebSocket client's envelope reached bob's mailbox within 10 s");
                answer = getData(bob);
            } while (answer.equals("false") || envelopeIn(answer).get("sender").json().equals("\"alice\""));
            assertEquals("{\"from\":\"ws\"}", envelopeIn(answer).get("message").json());
        }
    }

    @Test
    void answersBadPostsWith400AndAnErrorBody() throws Exception {
        HttpResponse<String> r = post(alice, "/Home/PostData", "{nope");
        assertEquals(400, r.statusCode());
        assertTrue(r.body().contains("\"invalid_json\""), r.body());
        HttpResponse<String> denied = post(alice, "/Home/PostData", "{\"channel\":\"denied-1\",\"message\":1,\"sender\":\"a\",\"id\":\"x-9\"}");
        assertEquals(403, denied.statusCode());
        assertTrue(denied.body().contains("\"not_permitted\"") && denied.body().contains("\"x-9\""), denied.body());
    }

    @Test
    void refusesForeignOriginWith403() throws Exception {
        HttpResponse<String> r = alice.send(HttpRequest.newBuilder(bridge.http("/Home/GetData")).header("Origin", "https://evil.example")
                .POST(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(403, r.statusCode());
    }
}
