package org.sigbridge.web.classic.xhr;

import static org.junit.jupiter.api.Assertions.assertEquals;
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
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.sigbridge.spi.ErrorCode;
import org.sigbridge.web.TestBridge;

/**
 * {@code POST /Home/PostData} is rate limited with the WebSocket frames' token bucket ({@code rate-limit}), per known
 * poller (cookie) or else per client address: over it, 429 {@code rate_limited} with {@code Retry-After}, not relayed.
 */
class XhrRateLimitTest {

    private TestBridge bridge;
    private HttpClient alice;
    private HttpClient bob;

    @BeforeEach
    void start() throws Exception {
        bridge = TestBridge.start("""
                    rate-limit:
                      messages-per-second: 1
                      burst: 2
                """);
        alice = HttpClient.newBuilder().cookieHandler(new CookieManager()).build();
        bob = HttpClient.newBuilder().cookieHandler(new CookieManager()).build();
    }

    @AfterEach
    void stop() {
        bridge.close();
    }

    @Test
    void aPollerPostingOverTheRateGets429WithRetryAfterAndTheRefusedPostIsNotRelayed() throws Exception {
        assertEquals("false", post(alice, "/Home/GetData", "").body()); // both are known pollers now
        assertEquals("false", post(bob, "/Home/GetData", "").body());

        assertEquals("true", post(alice, "/Home/PostData", message("one")).body());
        assertEquals("true", post(alice, "/Home/PostData", message("two")).body());
        HttpResponse<String> refused = post(alice, "/Home/PostData", message("three"));
        assertEquals(429, refused.statusCode());
        assertEquals("1", refused.headers().firstValue("Retry-After").orElse("none"));
        assertTrue(refused.body().contains("\"code\":\"rate_limited\""), refused.body());

        assertTrue(post(bob, "/Home/GetData", "").body().contains("one"));
        assertTrue(post(bob, "/Home/GetData", "").body().contains("two"));
        assertEquals("false", post(bob, "/Home/GetData", "").body(), "the refused post was not relayed");
        assertEquals(1, bridge.web().stats().rateLimited());
        assertEquals(1, bridge.web().stats().errors(ErrorCode.RATE_LIMITED));
    }

    @Test
    void anotherPollerHasItsOwnBucket() throws Exception {
        assertEquals("false", post(alice, "/Home/GetData", "").body());
        assertEquals("false", post(bob, "/Home/GetData", "").body());
        post(alice, "/Home/PostData", message("one"));
        post(alice, "/Home/PostData", message("two"));
        assertEquals(429, post(alice, "/Home/PostData", message("three")).statusCode());

        assertEquals("true", post(bob, "/Home/PostData", message("bob's")).body());
    }

    @Test
    void afterRetryAfterThePollerMayPostAgain() throws Exception {
        assertEquals("false", post(alice, "/Home/GetData", "").body());
        post(alice, "/Home/PostData", message("one"));
        post(alice, "/Home/PostData", message("two"));
        HttpResponse<String> refused = post(alice, "/Home/PostData", message("three"));
        assertEquals(429, refused.statusCode());

        long seconds = Long.parseLong(refused.headers().firstValue("Retry-After").orElseThrow());
        // The behaviour under test is a span of time: wait exactly what the bridge asked for (bounded).
        CompletableFuture.runAsync(() -> { }, CompletableFuture.delayedExecutor(seconds, TimeUnit.SECONDS)).get(seconds + 5, TimeUnit.SECONDS);
        assertEquals("true", post(alice, "/Home/PostData", message("four")).body());
    }

    @Test
    void clientsWithoutACookieShareTheBucketOfTheirAddress() throws Exception {
        HttpClient noCookies = HttpClient.newHttpClient(); // a new poller on every request, as a cross-origin page
        assertEquals("true", post(noCookies, "/Home/PostData", message("one")).body());
        assertEquals("true", post(noCookies, "/Home/PostData", message("two")).body());
        HttpResponse<String> refused = post(noCookies, "/Home/PostData", message("three"));
        assertEquals(429, refused.statusCode());
        assertTrue(refused.headers().firstValue("Set-Cookie").isEmpty(), "a refused post is given no cookie");
    }

    private static String message(String text) {
        return "message=" + URLEncoder.encode("{\"channel\":\"x\",\"sender\":\"s\",\"message\":\"" + text + "\"}", StandardCharsets.UTF_8);
    }

    private HttpResponse<String> post(HttpClient client, String path, String form) throws Exception {
        return client.send(HttpRequest.newBuilder(bridge.http(path)).timeout(Duration.ofSeconds(10))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(form)).build(), HttpResponse.BodyHandlers.ofString());
    }
}
