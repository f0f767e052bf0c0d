package org.sigbridge.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.sigbridge.routing.RouteTarget;
import org.sigbridge.testing.RecordingAdapterFactory;
import org.sigbridge.testing.RecordingSettings;

class ConfigLoaderTest {

    private final Map<String, String> env = Map.of("ROOMS", "conference.example.org", "EMPTY", "");
    private final ConfigLoader loader = new ConfigLoader(List.of(new RecordingAdapterFactory()), env::get);

    private ConfigException failure(String yaml) {
        return assertThrows(ConfigException.class, () -> loader.parse(yaml, "x.yml"));
    }

    @Test
    void readsAGoodFileIntoRecords() throws Exception {
        BridgeConfig config = loader.parse("""
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
                """, "x.yml");

        assertEquals("edge-1", config.bridge().name());
        assertEquals(Duration.ofSeconds(2), config.bridge().shutdownGrace());
        assertEquals(new RecordingSettings(null, true), config.adapters().get("xmpp"));
        assertInstanceOf(RouteTarget.Deny.class, config.routes().defaultTarget());
        assertEquals("a1@conference.example.org", config.routes().resolve("conf-a1").expandTarget(s -> s));
        assertEquals("x.yml:10", config.routes().rules().get(0).source());
        assertEquals("json", config.logging().format());
    }

    @Test
    void appliesDefaultsForOmittedSections() throws Exception {
        BridgeConfig config = loader.parse("adapters: {r: {type: recording}}", "x.yml");

        assertEquals("sigbridge", config.bridge().name());
        assertInstanceOf(RouteTarget.Local.class, config.routes().defaultTarget());
        assertEquals("text", config.logging().format());
        assertEquals("info", config.logging().level());
    }

    @Test
    void substitutesEnvironmentVariablesWithDefaultsAndEscapes() throws Exception {
        BridgeConfig config = loader.parse("""
                bridge:
                  name: ${NAME:-fallback}
                adapters:
                  r: {type: recording, reject: "${EMPTY:-upstream_rejected}"}
                routes:
                  - {match: "$$*", to: local}
                """, "x.yml");

        assertEquals("fallback", config.bridge().name());
        assertEquals("upstream_rejected", ((RecordingSettings) config.adapters().get("r")).reject());
        assertEquals("$*", config.routes().rules().get(0).pattern().source());
    }

    @Test
    void namesAnUnsetEnvironmentVariableAndItsLine() {
        ConfigException e = failure("""
                adapters:
                  r:
                    type: recording
                    reject: ${XMPP_PASSWORD}
                """);
        assertEquals("x.yml:4: adapters.r.reject: environment variable XMPP_PASSWORD is not set; export it, or give a default: ${XMPP_PASSWORD:-value}",
                e.getMessage());
    }

    @Test
    void namesAnUnknownKeyWithItsPathAndTheKnownKeys() {
        ConfigException e = failure("""
                bridge:
                  nmae: x
                adapters: {r: {type: recording}}
                """);
        assertEquals("x.yml:2: bridge.nmae: unknown key 'nmae'; hint: known keys here: default-route, history, name, ops, shutdown-grace",
                e.getMessage());
    }

    @Test
    void namesAnUnknownAdapterType() {
        ConfigException e = failure("""
                adapters:
                  web:
                    type: webb
                """);
        assertEquals(3, e.line());
        assertEquals("adapters.web.type", e.keyPath());
        assertEquals("unknown adapter type 'webb'", e.problem());
        assertEquals("use one of the installed types: recording", e.hint());
    }

    @Test
    void namesAMissingAdapterType() {
        ConfigException e = failure("""
                adapters:
                  web:
                    port: 1
                """);
        assertEquals("adapters.web", e.keyPath());
        assertEquals("missing 'type'", e.problem());
    }

    @Test
    void namesAWrongType() {
        ConfigException e = failure("""
                adapters:
                  r:
                    type: recording
                    queue: maybe
                """);
        assertEquals("x.yml:4: adapters.r.queue: 'maybe' is not true or false; hint: write true or false", e.getMessage());
    }

    @Test
    void namesABadDuration() {
        ConfigException e = failure("""
                bridge:
                  shutdown-grace: 5
                adapters: {r: {type: recording}}
                """);
        assertEquals(2, e.line());
        assertEquals("bridge.shutdown-grace", e.keyPath());
    }

    @Test
    void historyKeysHaveDefaultsAndAreCheckedWithTheirLine() throws Exception {
        assertEquals(new HistorySettings(100, java.time.Duration.ofMinutes(2)), BridgeSettings.DEFAULTS.history());
        ConfigException e = failure("""
                bridge:
                  history:
                    length: 10
                    max-age: 2h
                adapters: {r: {type: recording}}
                """);
        assertEquals(4, e.line(), e.getMessage());
        assertEquals("history.max-age must be at most 1h: the history is in memory, not a store", e.problem());
        ConfigException negative = failure("""
                bridge:
                  history: {length: -1}
                adapters: {r: {type: recording}}
                """);
        assertEquals(2, negative.line(), negative.getMessage());
        assertEquals("history.length must be between 0 and 100000, not -1", negative.problem());
    }

    @Test
    void namesAValueTheRecordRefusesAtTheKeysOwnLine() {
        ConfigException e = failure("""
                bridge:
                  name: edge
                  default-route: maybe
                adapters: {r: {type: recording}}
                """);
        assertEquals("bridge.default-route", e.keyPath());
        assertEquals(3, e.line());
        assertEquals("default-route must be 'local' or 'deny', not 'maybe'", e.problem());
    }

    @Test
    void pointsAnEnumLikeValueAtItsOwnLineNotTheSections() {
        ConfigException e = failure("""
                adapters: {r: {type: recording}}
                logging:
                  level: info

                  format: xml
                """);
        assertEquals("x.yml:5: logging.format: format must be 'text' or 'json', not 'xml'", e.getMessage());
    }

    @Test
    void listsEveryUnsetVariableAtOnceEachAtItsLine() {
        ConfigException e = failure("""
                bridge:
                  name: ${NAME}
                adapters:
                  r:
                    type: recording
                    reject: ${REJECT}
                routes:
                  - {match: "${PATTERN}", to: local}
                  - {match: "${NAME}-*", to: local}
                """);
        assertEquals(4, e.problems().size(), e.getMessage());
        assertEquals(List.of(2, 6, 8, 9), e.problems().stream().map(ConfigException::line).toList());
        assertEquals(List.of("bridge.name", "adapters.r.reject", "routes[0].match", "routes[1].match"),
                e.problems().stream().map(ConfigException::keyPath).toList());
        assertEquals("x.yml:6: adapters.r.reject: environment variable REJECT is not set; export it, or give a default: "
                + "${REJECT:-value}", e.getMessage().lines().toList().get(1));
    }

    @Test
    void pointsAMisIndentedKeyAtItsOwnLineNotWhereItsMappingBegan() {
        ConfigException e = failure("""
                adapters:
                  r:
                    type: recording
                routes:
                  - match: "a*"
                    to: local
                  - match: "b*"
                    to: local
                  - match: "c*"
                    to: local
                  - match: "d*"
                     to: local
                """);
        assertEquals(12, e.line(), e.getMessage());
    }

    @Test
    void pointsAKeyBetweenTwoIndentsAtItsLineNotAtTheSectionEighteenLinesUp() {
        StringBuilder yaml = new StringBuilder("bridge:\n  name: x\nadapters:\n  r:\n    type: recording\n");
        for (int i = 1; i <= 16; i++) {
            yaml.append("    # note ").append(i).append('\n');
        }
        yaml.append("   reject: upstream_rejected\n");
        ConfigException e = failure(yaml.toString());
        assertEquals(22, e.line(), e.getMessage());
    }

    @Test
    void namesABadRegexAtItsRoute() {
        ConfigException e = failure("""
                adapters: {r: {type: recording}}
                routes:
                  - match: "*"
                    to: local
                  - regex: "conf-(unclosed"
                    to: r
                """);
        assertEquals(5, e.line());
        assertEquals("routes[1].regex", e.keyPath());
        assertEquals("invalid regex: Unclosed group near index 14", e.problem());
    }

    @Test
    void namesARouteToAnAdapterThatDoesNotExist() {
        ConfigException e = failure("""
                adapters: {xmpp: {type: recording}}
                routes:
                  - match: "*"
                    to: xmp
                """);
        assertEquals("x.yml:3: routes[0].to: no adapter named 'xmp'; hint: use local, deny or one of: xmpp", e.getMessage());
    }

    @Test
    void namesATemplatePlaceholderThePatternDoesNotProvide() {
        ConfigException e = failure("""
                adapters: {xmpp: {type: recording}}
                routes:
                  - match: "conf-*"
                    to: xmpp
                    target: "{room}@muc"
                """);
        assertEquals("x.yml:3: routes[0].target: uses {room}, which the pattern does not provide; "
                + "hint: available: {channel}; named regex groups add more", e.getMessage());
    }

    @Test
    void passesTheAdaptersOwnRouteProblemsOn() {
        ConfigException e = failure("""
                adapters: {xmpp: {type: recording}}
                routes:
                  - {match: "*", to: xmpp, options: {bogus: 1}}
                """);
        assertEquals("routes[0]", e.keyPath());
        assertEquals("unknown option 'bogus' for a recording route (known: note)", e.problem());
    }

    @Test
    void refusesARouteWithBothOrNeitherPattern() {
        assertEquals("a route needs exactly one of 'match' (a glob) or 'regex'", failure("""
                adapters: {r: {type: recording}}
                routes: [{to: local}]
                """).problem());
        assertEquals("a route needs exactly one of 'match' (a glob) or 'regex'", failure("""
                adapters: {r: {type: recording}}
                routes: [{match: "*", regex: ".*", to: local}]
                """).problem());
    }

    @Test
    void refusesDuplicateKeys() {
        ConfigException e = failure("""
                bridge:
                  name: a
                  name: b
                adapters: {r: {type: recording}}
                """);
        assertEquals(3, e.line());
        assertEquals("duplicate key 'name'", e.problem());
    }

    @Test
    void pointsAtYamlSyntaxErrors() {
        ConfigException e = failure("""
                bridge:
                  name: "unterminated
                adapters: {r: {type: recording}}
                """);
        assertEquals("x.yml:2: bridge: while scanning a quoted scalar: found unexpected end of stream; "
                + "hint: check quoting and indentation (spaces, not tabs)", e.getMessage());
    }

    @Test
    void refusesAnEmptyFileAndAFileWithoutAdapters() {
        assertEquals("the file is empty", failure("").problem());
        assertEquals("no adapters configured", failure("bridge: {name: x}").problem());
    }
}
