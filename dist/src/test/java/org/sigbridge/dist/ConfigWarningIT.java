package org.sigbridge.dist;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** An old key spelling is still read, and the launcher says which key to write instead. */
class ConfigWarningIT {

    @Test
    void checkReadsTheOldKeyStoreSpellingAndNamesTheNewKey(@TempDir Path dir) throws Exception {
        Path store = Files.writeString(dir.resolve("tls.p12"), "read only when the adapter starts");
        Path config = dir.resolve("old.yml");
        Files.writeString(config, """
                adapters:
                  web:
                    type: web
                    tls:
                      keystore: %s
                      key-store-password: changeit-123
                """.formatted(store));
        try (SigbridgeProcess p = SigbridgeProcess.start(Map.of(), "--check", config.toString())) {
            assertEquals(0, p.awaitExit(Duration.ofSeconds(20)), p.output().toString());
            assertTrue(p.output().contains("sigbridge: warning: " + config + ":5: adapters.web.tls.keystore: 'keystore' is an old"
                    + " spelling; write 'key-store' (the old one is still read, for now)"), p.output().toString());
            assertTrue(p.output().contains(config + ": OK"), p.output().toString());
        }
    }
}
