package org.sigbridge.web.identity;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class TokenCliTest {

    @Test
    void refusesASecretTooShortForHs256WithOneLineAndExitCode2() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code = TokenCli.run(List.of("--secret-env", "S", "--sender", "alice"), Map.of("S", "short")::get, Clock.systemUTC(),
                new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));
        assertEquals(2, code);
        assertEquals("", out.toString(StandardCharsets.UTF_8));
        assertTrue(err.toString(StandardCharsets.UTF_8).startsWith("sigbridge token: the secret in S is too short for HS256"),
                err.toString(StandardCharsets.UTF_8));
    }

    @Test
    void helpPrintsTheUsageWithEveryOptionAndExitsZero() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code = TokenCli.run(List.of("--help"), Map.<String, String>of()::get, Clock.systemUTC(),
                new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));
        assertEquals(0, code);
        assertEquals("", err.toString(StandardCharsets.UTF_8));
        String usage = out.toString(StandardCharsets.UTF_8);
        assertTrue(usage.startsWith("Usage: sigbridge token --secret-env NAME --sender SENDER"), usage);
        for (String option : List.of("--secret-env", "--sender", "--channels", "--ttl")) {
            assertTrue(usage.contains("\n  " + option + " "), option + " explained: " + usage);
        }
    }
}
