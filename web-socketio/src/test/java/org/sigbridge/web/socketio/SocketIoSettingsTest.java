package org.sigbridge.web.socketio;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.sigbridge.config.Secret;
import org.sigbridge.web.SignalmasterSettings;
import org.sigbridge.web.SocketIoSettings;

/** The {@code socketio:} keys this module added: defaults and refusals naming the key (conf/reference/web.md). */
class SocketIoSettingsTest {

    @Test
    void defaultsAreTheReferenceServersOnes() {
        SocketIoSettings s = SocketIoSettings.DEFAULTS;
        assertEquals(Duration.ofSeconds(60), s.eio3PingTimeout(), "socket.io 1.x's pingTimeout");
        assertEquals("4", s.clientBundle());
        assertEquals(List.of("stun:stun.l.google.com:19302"), s.signalmaster().stunServers());
        assertEquals(List.of(), s.signalmaster().turnServers());
        assertEquals(Duration.ofDays(1), s.signalmaster().turnExpiry());
    }

    @Test
    void refusalsNameTheKey() {
        assertMessage("socketio.client-bundle", () -> SocketIoSettings.DEFAULTS.withClientBundle("3"));
        assertMessage("socketio.eio3-ping-timeout", () -> new SocketIoSettings(null, null, null, null, Duration.ZERO, null, null));
        assertMessage("turn-secret", () -> new SignalmasterSettings(null, List.of("turn:t.example:3478"), null, null, null));
        assertMessage("socketio.signalmaster.stun-servers", () -> new SignalmasterSettings(List.of("http://x"), null, null, null, null));
        assertMessage("socketio.signalmaster.turn-servers",
                () -> new SignalmasterSettings(null, List.of("stun:x"), Secret.of("s"), null, null));
    }

    @Test
    void connectionStateRecoveryIsOffUnlessItsSectionIsThereAndIsCheckedAtItsLine() throws Exception {
        assertEquals(null, SocketIoSettings.DEFAULTS.connectionStateRecovery(), "off by default, as in socket.io");
        assertEquals(Duration.ofMinutes(2), new org.sigbridge.web.SocketIoRecoverySettings(null).maxDisconnectionDuration());
        org.sigbridge.config.ConfigException e = assertThrows(org.sigbridge.config.ConfigException.class,
                () -> new org.sigbridge.config.ConfigLoader(org.sigbridge.config.ConfigLoader.installedFactories(),
                        java.util.Map.<String, String>of()::get).parse("""
                        adapters:
                          web:
                            type: web
                            socketio:
                              connection-state-recovery:
                                max-disconnection-duration: 2h
                        """, "x.yml"));
        assertEquals(6, e.line(), e.getMessage());
        assertTrue(e.problem().startsWith("connection-state-recovery.max-disconnection-duration must be at most 1h"), e.problem());
    }

    private static void assertMessage(String key, org.junit.jupiter.api.function.Executable settings) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, settings);
        assertTrue(e.getMessage().contains(key), e.getMessage());
    }
}
