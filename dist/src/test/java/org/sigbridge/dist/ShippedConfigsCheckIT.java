package org.sigbridge.dist;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every YAML file shipped under {@code conf/} (the default config, the examples and the quick starts' configs that
 * {@code docs/quickstart*.md} include by name) passes {@code --check} as shipped, given the environment variables
 * their comments document, in one run of the packaged launcher.
 */
class ShippedConfigsCheckIT {

    /** The variables the examples document, with values of the right shape; nothing else is set. */
    private static Map<String, String> documentedVariables(Path cert, Path key) {
        return Map.ofEntries(
                Map.entry("XMPP_HOST", "127.0.0.1"), Map.entry("XMPP_DOMAIN", "example.org"),
                Map.entry("XMPP_USERNAME", "bridge"), Map.entry("XMPP_PASSWORD", "secret"),
                Map.entry("XMPP_MUC_SERVICE", "conference.example.org"),
                Map.entry("SIP_LISTEN_PORT", "5070"), Map.entry("SIP_DOMAIN", "example.org"),
                Map.entry("SIGBRIDGE_ADMIN_TOKEN", "an-admin-token-of-some-length"),
                Map.entry("SIGBRIDGE_TOKEN_SECRET", "0123456789abcdef0123456789abcdef"),
                Map.entry("SIGBRIDGE_TLS_CERT", cert.toString()), Map.entry("SIGBRIDGE_TLS_KEY", key.toString()),
                Map.entry("TURN_URL", "turn:turn.example.org:3478"), Map.entry("TURN_SECRET", "a-turn-shared-secret"));
    }

    private static List<String> shippedConfigs() throws IOException {
        List<String> files = new ArrayList<>();
        try (Stream<Path> all = Files.walk(SigbridgeProcess.root().resolve("conf"))) {
            all.filter(p -> p.toString().endsWith(".yml"))
                    .map(p -> SigbridgeProcess.root().relativize(p).toString())
                    .sorted()
                    .forEach(files::add);
        }
        return files;
    }

    @Test
    void everyShippedConfigPassesCheckWithItsDocumentedVariables(@TempDir Path dir) throws Exception {
        Path cert = Files.writeString(dir.resolve("cert.pem"), "read when the adapter starts");
        Path key = Files.writeString(dir.resolve("key.pem"), "read when the adapter starts");
        List<String> files = shippedConfigs();
        assertTrue(files.size() >= 7, "conf/sigbridge.yml and the examples: " + files);
        List<String> args = new ArrayList<>(List.of("--check"));
        args.addAll(files);

        try (SigbridgeProcess p = SigbridgeProcess.start(documentedVariables(cert, key), args.toArray(String[]::new))) {
            assertEquals(0, p.awaitExit(Duration.ofSeconds(30)), String.join("\n", p.output()));
            for (String file : files) {
                assertTrue(p.output().contains(file + ": OK"), file + " passes: " + String.join("\n", p.output()));
            }
            assertTrue(p.output().contains(files.size() + " of " + files.size() + " files OK"), String.join("\n", p.output()));
        }
    }

    @Test
    void checkOfSeveralFilesListsEveryMissingVariableOfEachAndExitsTwo() throws Exception {
        try (SigbridgeProcess p = SigbridgeProcess.start(Map.of(), "--check", "conf/examples/xmpp.yml", "conf/sigbridge.yml",
                "conf/examples/sip.yml")) {
            assertEquals(2, p.awaitExit(Duration.ofSeconds(30)), String.join("\n", p.output()));
            List<String> out = p.output();
            for (String variable : List.of("XMPP_HOST", "XMPP_DOMAIN", "XMPP_USERNAME", "XMPP_PASSWORD", "XMPP_MUC_SERVICE")) {
                assertTrue(out.stream().anyMatch(l -> l.startsWith("sigbridge: conf/examples/xmpp.yml:")
                        && l.contains("environment variable " + variable + " is not set")), variable + ": " + out);
            }
            for (String variable : List.of("SIP_LISTEN_PORT", "SIP_DOMAIN")) {
                assertTrue(out.stream().anyMatch(l -> l.startsWith("sigbridge: conf/examples/sip.yml:")
                        && l.contains("environment variable " + variable + " is not set")), variable + ": " + out);
            }
            assertTrue(out.contains("conf/sigbridge.yml: OK"), out.toString());
            assertTrue(out.contains("1 of 3 files OK"), out.toString());
        }
    }
}
