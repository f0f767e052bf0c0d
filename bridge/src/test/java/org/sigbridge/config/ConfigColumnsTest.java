package org.sigbridge.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.sigbridge.testing.RecordingAdapterFactory;

/**
 * {@link ConfigException#located()} names the column as well as the line: of the offending value for value
 * errors, of the offending key for indentation errors, as {@code --check} prints them ({@code file:line:column}).
 */
class ConfigColumnsTest {

    private final Map<String, String> env = Map.of("UNUSED", "");
    private final ConfigLoader loader = new ConfigLoader(List.of(new RecordingAdapterFactory()), name -> env.get(name));

    private ConfigException failure(String yaml) {
        return assertThrows(ConfigException.class, () -> loader.parse(yaml, "x.yml"));
    }

    @Test
    void aWrongTypeOfValueIsLocatedAtTheValue() {
        ConfigException e = failure("""
                adapters:
                  r:
                    type: recording
                    queue:   maybe
                """);
        assertEquals(4, e.line());
        assertEquals(14, e.column(), e.located());
        assertEquals("x.yml:4:14: adapters.r.queue: 'maybe' is not true or false; hint: write true or false", e.located());
        assertEquals("x.yml:4: adapters.r.queue: 'maybe' is not true or false; hint: write true or false", e.getMessage(),
                "getMessage keeps file:line");
    }

    @Test
    void aValueARecordRefusesIsLocatedAtThatValue() {
        ConfigException e = failure("""
                adapters:
                  r:
                    type: recording
                logging:
                  format: xml
                """);
        assertEquals("x.yml:5:11: logging.format: format must be 'text' or 'json', not 'xml'", e.located());
    }

    @Test
    void anIndentationErrorIsLocatedAtTheMisplacedKey() {
        ConfigException e = failure("""
                adapters:
                  r:
                    type: recording
                routes:
                  - match: "a*"
                     to: local
                """);
        assertEquals(6, e.line(), e.located());
        assertEquals(6, e.column(), e.located()); // "     to": the key, five spaces in
        assertEquals("x.yml:6:6: ", e.located().substring(0, "x.yml:6:6: ".length()), e.located());
    }

    @Test
    void anUnknownKeyIsLocatedAtTheKey() {
        ConfigException e = failure("""
                adapters:
                  r:
                    type: recording
                    qeue: true
                """);
        assertEquals("x.yml:4:5: adapters.r.qeue: unknown key 'qeue'", e.located().substring(0, "x.yml:4:5: adapters.r.qeue: unknown key 'qeue'".length()), e.located());
    }

    @Test
    void anUnsetVariableIsLocatedAtItsValue() {
        ConfigException e = failure("""
                adapters:
                  r:
                    type: recording
                    reject: ${REJECT}
                """);
        assertEquals("x.yml:4:13", e.located().substring(0, "x.yml:4:13".length()), e.located());
    }
}
