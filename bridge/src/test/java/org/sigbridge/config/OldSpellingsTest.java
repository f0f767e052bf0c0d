package org.sigbridge.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.annotation.JsonAlias;
import com.fasterxml.jackson.databind.annotation.JsonDeserialize;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.sigbridge.spi.Adapter;
import org.sigbridge.spi.AdapterFactory;
import org.sigbridge.spi.AdapterSettings;

/**
 * The loader's two shared config rules: an old key spelling is read with one warning naming the new key,
 * and an optional secret left empty by {@code ${VAR:-}} is "not set".
 */
class OldSpellingsTest {

    /** A settings record as adapters write them: a {@code tls:} section with the shared spelling. */
    public record ProbeSettings(Integer port, ProbeTls tls, @JsonDeserialize(using = OptionalSecret.class) Secret password)
            implements AdapterSettings {
    }

    public record ProbeTls(@JsonAlias("keystore") String keyStore,
                           @JsonAlias("keystore-password") @JsonDeserialize(using = OptionalSecret.class) Secret keyStorePassword,
                           @JsonAlias("keystore-type") String keyStoreType) {
    }

    static final class ProbeFactory implements AdapterFactory {
        @Override
        public String type() {
            return "probe";
        }

        @Override
        public Class<? extends AdapterSettings> settingsType() {
            return ProbeSettings.class;
        }

        @Override
        public Adapter create(String name, AdapterSettings settings) {
            throw new UnsupportedOperationException("config tests create no adapter");
        }
    }

    private final List<String> warnings = new ArrayList<>();
    private final Map<String, String> env = Map.of("SET", "s3cret");
    private final ConfigLoader loader = new ConfigLoader(List.of(new ProbeFactory()), env::get, warnings::add);

    private ProbeSettings load(String yaml) throws ConfigException {
        return (ProbeSettings) loader.parse(yaml, "t.yml").adapters().get("p");
    }

    @Test
    void readsTheOldSpellingAndWarnsWithTheNewKeyAndTheLine() throws Exception {
        ProbeSettings s = load("""
                adapters:
                  p:
                    type: probe
                    tls:
                      keystore: /etc/tls.p12
                      keystore-password: ${SET}
                      keystore-type: JKS
                """);
        assertEquals("/etc/tls.p12", s.tls().keyStore());
        assertEquals("s3cret", s.tls().keyStorePassword().reveal());
        assertEquals("JKS", s.tls().keyStoreType());
        assertEquals(List.of(
                "t.yml:5: adapters.p.tls.keystore: 'keystore' is an old spelling; write 'key-store' (the old one is still read, for now)",
                "t.yml:6: adapters.p.tls.keystore-password: 'keystore-password' is an old spelling; write 'key-store-password'"
                        + " (the old one is still read, for now)",
                "t.yml:7: adapters.p.tls.keystore-type: 'keystore-type' is an old spelling; write 'key-store-type'"
                        + " (the old one is still read, for now)"), warnings);
    }

    @Test
    void theNewSpellingGivesNoWarningAndTypeFirstOrLastMakesNoDifference() throws Exception {
        ProbeSettings s = load("""
                adapters:
                  p:
                    tls: {key-store: /a.p12}
                    type: probe
                """);
        assertEquals("/a.p12", s.tls().keyStore());
        assertEquals(List.of(), warnings);
        load("""
                adapters:
                  p:
                    tls: {keystore: /a.p12}
                    type: probe
                """);
        assertEquals(1, warnings.size(), warnings.toString());
        assertTrue(warnings.get(0).startsWith("t.yml:3: adapters.p.tls.keystore: "), warnings.get(0));
    }

    @Test
    void anOldSpellingOutsideTlsIsAnUnknownKeyAsBefore() {
        ConfigException e = assertThrows(ConfigException.class, () -> load("""
                adapters:
                  p:
                    type: probe
                    keystore: /a.p12
                """));
        assertEquals("unknown key 'keystore'", e.problem());
        assertEquals(4, e.line());
        assertEquals(List.of(), warnings);
    }

    @Test
    void anEmptyOptionalSecretIsNotSet() throws Exception {
        assertNull(load("""
                adapters:
                  p:
                    type: probe
                    password: ${UNSET:-}
                """).password());
        assertNull(load("""
                adapters:
                  p:
                    type: probe
                    password: ""
                """).password());
        assertEquals("s3cret", load("""
                adapters:
                  p:
                    type: probe
                    password: ${SET:-}
                """).password().reveal());
    }
}
