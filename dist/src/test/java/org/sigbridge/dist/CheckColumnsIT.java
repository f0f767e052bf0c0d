package org.sigbridge.dist;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code --check} prints each problem at {@code file:line:column}: a bad value at the value, a mis-indented key at the key. */
class CheckColumnsIT {

    @Test
    void checkNamesTheLineAndColumnOfABadValueAndOfAMisindentedKey(@TempDir Path dir) throws Exception {
        Path value = Files.writeString(dir.resolve("value.yml"), """
                adapters:
                  web:
                    type: web
                    port:   99999
                """);
        Path indent = Files.writeString(dir.resolve("indent.yml"), """
                adapters:
                  web: {type: web}
                routes:
                  - match: "a*"
                     to: local
                """);
        try (SigbridgeProcess p = SigbridgeProcess.start(Map.of(), "--check", value.toString(), indent.toString())) {
            assertEquals(2, p.awaitExit(Duration.ofSeconds(30)), String.join("\n", p.output()));
            List<String> out = p.output();
            assertTrue(out.stream().anyMatch(l -> l.startsWith("sigbridge: " + value + ":4:13: adapters.web.port: ")), out.toString());
            assertTrue(out.stream().anyMatch(l -> l.startsWith("sigbridge: " + indent + ":5:6: ")), out.toString());
        }
    }
}
