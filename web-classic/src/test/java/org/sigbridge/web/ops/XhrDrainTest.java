package org.sigbridge.web.ops;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.CookieManager;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.sigbridge.testkit.Poll;
import org.sigbridge.web.TestBridge;

/**
 * Drain applies to XHR: pollers the bridge already knows keep being served, new pollers get 503
 * {@code shutting_down}; at the deadline held long polls answer {@code false} and every later XHR request gets 503.
 */
class XhrDrainTest {

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

    @Test
    void whileDrainingAKnownPollerIsServedAndANewPollerGets503() throws Exception {
        assertEquals("false", xhr(alice, "/Home/GetData", "").body()); // alice is a known poller now
        assertEquals(202, Http.post(bridge.http("/admin/drain?deadline=1m")).statusCode());

        HttpResponse<String> refused = xhr(bob, "/Home/GetData", "");
        assertEquals(503, refused.statusCode());
        assertTrue(refused.body().contains("\"code\":\"shutting_down\"") && refused.body().contains("no new XHR pollers"), refused.body());
        assertTrue(refused.headers().firstValue("Set-Cookie").isEmpty(), "a refused poller is given no cookie");
        assertEquals(503, xhr(bob, "/Home/PostData", message("bob", "late")).statusCode());

        assertEquals("true", xhr(alice, "/Home/PostData", message("alice", "still here")).body());
        HttpResponse<String> served = xhr(alice, "/Home/GetData", "");
        assertEquals(200, served.statusCode());
        assertTrue(served.body().contains("still here"), served.body());
        String status = Http.get(bridge.http("/admin/drain")).body();
        assertTrue(status.contains("\"connections\":0,\"pollers\":1"), status);
    }

    @Test
    void atTheDeadlineAHeldLongPollAnswersFalseAndLaterRequestsGet503() throws Exception {
        assertEquals("false", xhr(alice, "/Home/GetData", "").body());
        assertEquals(202, Http.post(bridge.http("/admin/drain?deadline=1m")).statusCode());
        long polls = bridge.web().stats().xhrPolls();
        CompletableFuture<HttpResponse<String>> held = alice.sendAsync(request("/Home/LongPoll?wait=20000", ""),
                HttpResponse.BodyHandlers.ofString());
        await(() -> bridge.web().stats().xhrPolls() > polls, "the long poll reached the bridge");
        assertFalse(held.isDone(), "nothing to answer yet: the long poll is held");

        assertEquals(202, Http.post(bridge.http("/admin/drain?deadline=100ms")).statusCode()); // brings the deadline forward
        HttpResponse<String> answered = held.get(5, TimeUnit.SECONDS); // long before its 20 s wait
        assertEquals(200, answered.statusCode());
        assertEquals("false", answered.body());

        HttpResponse<String> after = xhr(alice, "/Home/GetData", "");
        assertEquals(503, after.statusCode());
        assertTrue(after.body().contains("\"code\":\"shutting_down\"") && after.body().contains("drained"), after.body());
    }

    private static String message(String sender, String text) {
        return "message=" + URLEncoder.encode("{\"channel\":\"x\",\"sender\":\"" + sender + "\",\"message\":\"" + text + "\"}",
                StandardCharsets.UTF_8);
    }

    private HttpRequest request(String path, String form) {
        return HttpRequest.newBuilder(bridge.http(path)).timeout(Duration.ofSeconds(30))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(form)).build();
    }

    private HttpResponse<String> xhr(HttpClient client, String path, String form) throws Exception {
        return client.send(request(path, form), HttpResponse.BodyHandlers.ofString());
    }

    /** Waits for {@code condition}, for at most 5 s (a counter has no event to wait on). */
    private static void await(BooleanSupplier condition, String what) throws Exception {
        Poll.until(what, Duration.ofSeconds(5), condition);
    }
}
