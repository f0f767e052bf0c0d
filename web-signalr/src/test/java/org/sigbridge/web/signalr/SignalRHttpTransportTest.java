package org.sigbridge.web.signalr;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.sigbridge.envelope.JsonObjectReader;
import org.sigbridge.testkit.web.WsClient;
import org.sigbridge.web.TestBridge;

/**
 * The HTTP transports on a real bridge, driven by raw HTTP as the {@code @microsoft/signalr} client speaks them
 * (docs/signalr.md#transports): Long Polling's first poll, held polls, POSTs and DELETE; the Server-Sent Events stream;
 * and bad requests answered with ASP.NET Core's statuses, counted.
 */
class SignalRHttpTransportTest {

    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private static final String RS = "\u001e";
    private static final String HANDSHAKE = "{\"protocol\":\"json\",\"version\":1}" + RS;

    private static String token(TestBridge bridge, String hub) throws Exception {
        return JsonObjectReader.readObject(SignalRProtocolTest.negotiate(bridge, hub, null).body()).get("connectionToken").asText();
    }

    private static HttpResponse<String> send(HttpRequest.Builder request) throws Exception {
        return HTTP.send(request.timeout(Duration.ofSeconds(20)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private static CompletableFuture<HttpResponse<String>> pollAsync(URI uri) {
        return HTTP.sendAsync(HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(30)).GET().build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private static HttpResponse<String> post(URI uri, String body) throws Exception {
        return send(HttpRequest.newBuilder(uri).POST(HttpRequest.BodyPublishers.ofString(body)));
    }

    @Test
    void longPollingCarriesTheHandshakeAndInvocationsAndEndsWithDelete() throws Exception {
        try (TestBridge bridge = TestBridge.start()) {
            URI uri = bridge.http("/hubs/lp?id=" + token(bridge, "lp"));
            HttpResponse<String> first = send(HttpRequest.newBuilder(uri).GET());
            assertEquals(200, first.statusCode(), "the first poll is answered at once");
            assertEquals("", first.body());
            assertEquals("no-cache, no-store", first.headers().firstValue("Cache-Control").orElse(""));

            CompletableFuture<HttpResponse<String>> held = pollAsync(uri);
            assertEquals(200, post(uri, HANDSHAKE).statusCode());
            assertEquals("{}" + RS, held.get(10, TimeUnit.SECONDS).body(), "the held poll carries the handshake answer");

            assertEquals(200, post(uri, "{\"type\":1,\"invocationId\":\"7\",\"target\":\"Send\",\"arguments\":[\"hi\"]}" + RS)
                    .statusCode());
            String answered = "";
            while (!answered.contains("\"invocationId\":\"7\"")) { // the echo and the completion, in one or two polls
                answered += send(HttpRequest.newBuilder(uri).GET()).body();
            }
            assertTrue(answered.startsWith("{\"type\":1,\"target\":\"onMessageReceived\",\"arguments\":[\"hi\"]}" + RS), answered);

            // Two polls at once: whichever the bridge sees second ends the first with 204 and is held itself.
            CompletableFuture<HttpResponse<String>> one = pollAsync(uri);
            CompletableFuture<HttpResponse<String>> two = pollAsync(uri);
            HttpResponse<?> superseded = (HttpResponse<?>) CompletableFuture.anyOf(one, two).get(10, TimeUnit.SECONDS);
            assertEquals(204, superseded.statusCode(), "a new poll ends the one still held with 204");
            CompletableFuture<HttpResponse<String>> held2 = one.isDone() && one.join() == superseded ? two : one;
            HttpResponse<String> deleted = send(HttpRequest.newBuilder(uri).DELETE());
            assertEquals(202, deleted.statusCode());
            assertEquals(204, held2.get(10, TimeUnit.SECONDS).statusCode(), "DELETE ends the held poll with 204");
            assertEquals(404, post(uri, "{\"type\":6}" + RS).statusCode(), "a POST after DELETE finds no connection");
        }
    }

    @Test
    void serverSentEventsStreamTheRecordsAndASecondStreamOrAnotherTransportIsRefused() throws Exception {
        try (TestBridge bridge = TestBridge.start()) {
            URI uri = bridge.http("/hubs/sse?id=" + token(bridge, "sse"));
            BlockingQueue<String> lines = new LinkedBlockingQueue<>();
            CompletableFuture<HttpResponse<java.util.stream.Stream<String>>> stream = HTTP.sendAsync(HttpRequest.newBuilder(uri)
                    .header("Accept", "text/event-stream").GET().build(), HttpResponse.BodyHandlers.ofLines());
            HttpResponse<java.util.stream.Stream<String>> open = stream.get(10, TimeUnit.SECONDS);
            assertEquals(200, open.statusCode());
            assertEquals("text/event-stream", open.headers().firstValue("Content-Type").orElse(""));
            Thread reader = new Thread(() -> open.body().forEach(lines::add), "sse-reader");
            reader.setDaemon(true);
            reader.start();

            assertEquals(200, post(uri, HANDSHAKE).statusCode());
            assertEquals("data: {}" + RS, nextData(lines));
            post(uri, "{\"type\":1,\"target\":\"Send\",\"arguments\":[\"hello\"]}" + RS);
            assertEquals("data: {\"type\":1,\"target\":\"onMessageReceived\",\"arguments\":[\"hello\"]}" + RS, nextData(lines));

            assertEquals(409, send(HttpRequest.newBuilder(uri).header("Accept", "text/event-stream").GET()).statusCode(),
                    "one event stream per connection");
            HttpResponse<String> poll = send(HttpRequest.newBuilder(uri).GET());
            assertEquals(400, poll.statusCode());
            assertEquals("Cannot change transports mid-connection", poll.body());
            HttpResponse<String> delete = send(HttpRequest.newBuilder(uri).DELETE());
            assertEquals(400, delete.statusCode());
            assertEquals("Cannot terminate this connection using the DELETE endpoint.", delete.body());

            post(uri, "{\"type\":7}" + RS); // the client closes: the server ends the stream
            reader.join(10_000);
            assertTrue(!reader.isAlive(), "the stream ended after the client's Close message");
        }
    }

    @Test
    void badRequestsGetAspNetCoresStatusesAndAreCounted() throws Exception {
        try (TestBridge bridge = TestBridge.start("    max-frame-bytes: 1024\n")) {
            HttpResponse<String> noId = send(HttpRequest.newBuilder(bridge.http("/hubs/h")).GET());
            assertEquals(400, noId.statusCode());
            assertEquals("Connection ID required", noId.body());
            HttpResponse<String> unknown = send(HttpRequest.newBuilder(bridge.http("/hubs/h?id=nope")).GET());
            assertEquals(404, unknown.statusCode());
            assertEquals("No Connection with that ID", unknown.body());
            assertEquals(404, post(bridge.http("/hubs/h?id=nope"), HANDSHAKE).statusCode());
            assertEquals(404, send(HttpRequest.newBuilder(bridge.http("/hubs/h?id=nope")).DELETE()).statusCode());
            assertEquals(405, send(HttpRequest.newBuilder(bridge.http("/hubs/h?id=x")).PUT(HttpRequest.BodyPublishers.noBody()))
                    .statusCode());

            String wsToken = token(bridge, "h");
            try (WsClient ws = WsClient.connect(bridge.ws("/hubs/h?id=" + wsToken))) {
                ws.send(HANDSHAKE);
                ws.expect("{}" + RS);
                HttpResponse<String> toSocket = post(bridge.http("/hubs/h?id=" + wsToken), HANDSHAKE);
                assertEquals(405, toSocket.statusCode());
                assertEquals("POST requests are not allowed for WebSocket connections.", toSocket.body());
                assertEquals(400, send(HttpRequest.newBuilder(bridge.http("/hubs/h?id=" + wsToken)).GET()).statusCode());
            }

            URI lp = bridge.http("/hubs/h?id=" + token(bridge, "h"));
            assertEquals(200, send(HttpRequest.newBuilder(lp).GET()).statusCode());
            assertEquals(413, post(lp, "x".repeat(2048)).statusCode(), "a body over max-frame-bytes");
            assertEquals(404, send(HttpRequest.newBuilder(lp).GET()).statusCode(), "and the connection ended");
            assertTrue(bridge.web().stats().badFrames() >= 8, "each refusal is counted: " + bridge.web().stats().badFrames());
        }
    }

    private static String nextData(BlockingQueue<String> lines) throws InterruptedException {
        while (true) {
            String line = lines.poll(10, TimeUnit.SECONDS);
            if (line == null) {
                throw new AssertionError("no event within 10 s");
            }
            if (line.startsWith("data:")) {
                return line;
            }
        }
    }
}
