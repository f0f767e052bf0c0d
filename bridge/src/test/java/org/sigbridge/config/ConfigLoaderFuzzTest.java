package org.sigbridge.config;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.sigbridge.testing.RecordingAdapterFactory;
import org.sigbridge.testing.fuzz.Bounded;
import org.sigbridge.testing.fuzz.FuzzRun;
import org.sigbridge.testing.fuzz.FuzzText;

/**
 * Fuzzes the YAML config loader with a valid file, line-level edits of it (keys, values, indentation, YAML
 * constructs: anchors, aliases, tags, flow style, {@code ${VAR}} substitutions) and character mutations: every
 * input gives a config or a {@link ConfigException} with a message, never another exception, within
 * {@link Bounded#PER_INPUT}; both outcomes occur. Only the outcome's type is asserted, not the wording (the launcher's owner words it).
 */
class ConfigLoaderFuzzTest {

    private static final String VALID = """
            bridge:
              name: edge-1
              default-route: deny
              shutdown-grace: 2s
            adapters:
              xmpp:
                type: recording
                queue: true
            routes:
              - regex: "conf-(?<room>.+)"
                to: xmpp
                target: "{room}@${ROOMS}"
                options: {note: hello}
              - match: "*"
                to: local
            logging:
              format: json
            """;
    private static final List<String> KEYS = List.of("bridge", "name", "default-route", "shutdown-grace", "adapters",
            "type", "queue", "reject", "routes", "regex", "match", "to", "target", "options", "logging", "format", "level");
    private static final List<String> VALUES = List.of("recording", "local", "deny", "xmpp", "2s", "-1s", "10x", "true",
            "null", "~", "\"\"", "[]", "{}", "[a, b", "{a: 1", "'x", "\"x", "${ROOMS}", "${UNSET}", "${UNSET:-d}", "$$", "${",
            "!!binary aGk=", "!!java.io.File /tmp", "!custom x", "&a x", "*a", "*undefined", "|\n  block", ">-", "0x1F",
            "1e999", "99999999999999999999", ".inf", ".nan", "\"(?<", "\"[\"", "\"\\u0000\"", "\t");
    private static final String LAUGHS = """
            a: &a ["x","x","x","x","x","x","x","x","x"]
            b: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]
            c: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b]
            d: &d [*c,*c,*c,*c,*c,*c,*c,*c,*c]
            e: &e [*d,*d,*d,*d,*d,*d,*d,*d,*d]
            f: &f [*e,*e,*e,*e,*e,*e,*e,*e,*e]
            g: &g [*f,*f,*f,*f,*f,*f,*f,*f,*f]
            bridge: *g
            """;

    private final ConfigLoader loader = new ConfigLoader(List.of(new RecordingAdapterFactory()),
            Map.of("ROOMS", "conference.example.org")::get, warning -> { });

    @Test
    void everyFileGivesAConfigOrAConfigException() {
        FuzzRun.Tally tally = FuzzRun.run("ConfigLoaderFuzzTest", 10_000, this::oneFile);
        assertTrue(tally.count("config") > 0, tally.toString());
        assertTrue(tally.count("ConfigException") > 0, tally.toString());
    }

    private String oneFile(long seed) {
        FuzzText g = new FuzzText(seed);
        String yaml = switch (g.below(6)) {
            case 0, 1, 2 -> editLines(g, VALID);
            case 3 -> g.mutate(editLines(g, VALID));
            case 4 -> g.mutate(g.below(4) == 0 ? LAUGHS : VALID);
            default -> g.anyString(120);
        };
        Object outcome = Bounded.call(yaml, () -> {
            try {
                return loader.parse(yaml, "fuzz.yml");
            } catch (ConfigException e) {
                return e;
            } catch (RuntimeException e) {
                throw new AssertionError("not a ConfigException for:\n" + yaml, e);
            }
        });
        assertNotNull(outcome, yaml);
        if (outcome instanceof ConfigException e) {
            assertNotNull(e.getMessage(), yaml);
            assertFalse(e.getMessage().isBlank(), yaml);
        }
        return outcome instanceof ConfigException ? "ConfigException" : "config";
    }

    /** Replaces, inserts, deletes, re-indents or duplicates up to three lines of {@code yaml}. */
    private static String editLines(FuzzText g, String yaml) {
        List<String> lines = new java.util.ArrayList<>(List.of(yaml.split("\n", -1)));
        for (int k = 1 + g.below(3); k > 0; k--) {
            int at = g.below(lines.size());
            String indent = "  ".repeat(g.below(4));
            String line = indent + (g.below(5) == 0 ? "- " : "") + g.pick(KEYS) + ":" + (g.below(4) == 0 ? "" : " " + g.pick(VALUES));
            switch (g.below(5)) {
                case 0 -> lines.set(at, line);
                case 1 -> lines.add(at, line);
                case 2 -> lines.remove(at);
                case 3 -> lines.set(at, indent + lines.get(at).strip());
                default -> lines.add(at, lines.get(at));
            }
            if (lines.isEmpty()) {
                lines.add("");
            }
        }
        return String.join("\n", lines);
    }
}
