package org.sigbridge.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.IThrowableProxy;
import ch.qos.logback.core.read.ListAppender;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocketHandshakeException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletionException;
import org.junit.jupiter.api.Test;
import org.sigbridge.config.Secret;
import org.sigbridge.testkit.Poll;
import org.sigbridge.testkit.web.WsClient;
import org.sigbridge.web.identity.TokenMinter;
import org.slf4j.LoggerFactory;

/**
 * The security review's end-to-end checks on a running bridge (docs/reliability.md, "Security checks"): origins that
 * only look like loopback are refused at the upgrade; without an admin token the admin API refuses a request a proxy
 * relayed; and no configured secret ever reaches a log line, with the bridge's own loggers at TRACE.
 */
class SecurityChecksTest {

    private static final String IDENTITY_SECRET = "idsecret-7f3a9c1e5b2d4f6a8c0e2b4d6f8a0c1e";
    private static final String ADMIN_TOKEN = "admintoken-4e8b2c6a0d9f1e3b5c7a";
    private static final String TURN_SECRET = "turnsecret-9d1c3e5a7b0f2d4c6e8a";
    private static final String TURN_CREDENTIAL = "turncredential-2b4d6f8a0c1e3a5c";

    @Test
    void originsThatOnlyLookLikeLoopbackAreRefused403() throws Exception {
        try (TestBridge bridge = TestBridge.start()) {
            for (String origin : List.of("http://localhost.evil.example", "http://127.0.0.1.evil.example:8888", "null",
                    "http://192.168.1.10:" + bridge.port(), "https://localhost@evil.example", "http://evil.example/http://localhost:1")) {
                CompletionException refused = assertThrows(CompletionException.class,
                        () -> WsClient.connect(bridge.ws("/"), Map.of("Origin", origin)), origin);
                assertEquals(403, assertInstanceOf(WebSocketHandshakeException.class, refused.getCause()).getResponse().statusCode(), origin);
            }
            try (WsClient ok = WsClient.connect(bridge.ws("/"), Map.of("Origin", "http://localhost:3000"))) {
                assertTrue(ok.isOpen());
            }
        }
    }

    @Test
    void withoutATokenTheAdminApiRefusesARequestAProxyRelayed() throws Exception {
        try (TestBridge bridge = TestBridge.start()) {
            HttpClient http = HttpClient.newHttpClient();
            assertEquals(200, get(http, bridge.http("/admin/routes"), null, null).statusCode(), "a loopback client");
            assertEquals(403, get(http, bridge.http("/admin/routes"), "X-Forwarded-For", "203.0.113.9").statusCode());
            assertEquals(403, get(http, bridge.http("/admin/routes"), "Forwarded", "for=203.0.113.9").statusCode());
            assertEquals(200, get(http, bridge.http("/healthz"), "X-Forwarded-For", "203.0.113.9").statusCode(), "health is public");
        }
    }

    @Test
    void noConfiguredSecretReachesALogLine() throws Exception {
        Logger root = (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
        Logger ours = (Logger) LoggerFactory.getLogger("org.sigbridge");
        Level before = ours.getLevel();
        ListAppender<ILoggingEvent> lines = new ListAppender<>();
        lines.start();
        root.addAppender(lines);
        ours.setLevel(Level.TRACE);
        try {
            try (TestBridge bridge = TestBridge.start("""
                        identity:
                          mode: verified
                          secret: %s
                        admin:
                          token: %s
                        ice-servers:
                          - urls: turn:turn.example.org:3478
                            secret: %s
                          - urls: turn:fixed.example.org
                            username: alice
                            credential: %s
                    """.formatted(IDENTITY_SECRET, ADMIN_TOKEN, TURN_SECRET, TURN_CREDENTIAL))) {
                String token = new TokenMinter(Secret.of(IDENTITY_SECRET)).mint("alice", Optional.of("room-*"), Instant.now(),
                        Duration.ofHours(1));
                String bobToken = new TokenMinter(Secret.of(IDENTITY_SECRET)).mint("bob", Optional.of("room-*"), Instant.now(),
                        Duration.ofHours(1));
                try (WsClient a = WsClient.connect(bridge.ws("/?channel=room-1&token=" + token));
                     WsClient b = WsClient.connect(bridge.ws("/?channel=room-1"))) {
                    b.send("{\"token\":\"" + bobToken + "\"}");
                    assertTrue(b.next().startsWith("{\"identity\":"));
                    Poll.until("both on room-1", WsClient.WAIT, () -> bridge.bridge().hub().participants("room-1").size() >= 2);
                    a.send("{\"sender\":\"alice\",\"channel\":\"room-1\",\"message\":{\"secret\":\"not one of ours\"}}");
                    b.nextEnvelope(WsClient.WAIT);
                    b.send("{\"sender\":\"mallory\",\"channel\":\"room-1\",\"message\":1}");
                    b.nextError(WsClient.WAIT);
                }
                assertThrows(CompletionException.class, () -> WsClient.connect(bridge.ws("/?token=" + token.substring(0, token.length() - 2))));
                HttpClient http = HttpClient.newHttpClient();
                assertEquals(200, get(http, bridge.http("/api/ice-servers"), null, null).statusCode());
                assertEquals(200, get(http, bridge.http("/admin/routes"), "Authorization", "Bearer " + ADMIN_TOKEN).statusCode());
                assertEquals(401, get(http, bridge.http("/admin/routes"), "Authorization", "Bearer " + ADMIN_TOKEN + "x").statusCode());
                assertEquals(200, get(http, bridge.http("/metrics"), null, null).statusCode());
                bridge.bridge().describe().forEach(line -> LoggerFactory.getLogger("org.sigbridge.test").info("{}", line));
            }
        } finally {
            root.detachAppender(lines);
            ours.setLevel(before);
        }
        List<String> texts = new ArrayList<>();
        for (ILoggingEvent e : lines.list) {
            texts.add(e.getFormattedMessage() + " " + e.getMDCPropertyMap() + throwableText(e.getThrowableProxy()));
        }
        assertTrue(texts.size() >= 10, "too few log lines to judge: " + texts.size());
        for (String secret : List.of(IDENTITY_SECRET, ADMIN_TOKEN, TURN_SECRET, TURN_CREDENTIAL)) {
            for (String text : texts) {
                assertTrue(!text.contains(secret), "a log line holds a configured secret: " + text);
            }
        }
        System.out.println("log lines checked for 4 secrets: " + texts.size());
    }

    private static String throwableText(IThrowableProxy t) {
        StringBuilder sb = new StringBuilder();
        for (IThrowableProxy p = t; p != null; p = p.getCause()) {
            sb.append(' ').append(p.getClassName()).append(": ").append(p.getMessage());
        }
        return sb.toString();
    }

    private static HttpResponse<String> get(HttpClient http, URI uri, String header, String value) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(10));
        if (header != null) {
            b.header(header, value);
        }
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }
}
