package org.sigbridge.config;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.exc.InvalidFormatException;
import com.fasterxml.jackson.databind.exc.InvalidTypeIdException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.databind.exc.ValueInstantiationException;
import com.fasterxml.jackson.databind.jsontype.NamedType;
import com.fasterxml.jackson.databind.module.SimpleModule;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.TreeSet;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.sigbridge.routing.RoutingTable;
import org.sigbridge.spi.AdapterFactory;
import org.sigbridge.spi.AdapterSettings;
import org.sigbridge.spi.cluster.ClusterFactory;
import org.sigbridge.spi.cluster.ClusterSettings;
import org.slf4j.LoggerFactory;

/**
 * Reads and validates the YAML file. Does no I/O but reading the file; thread-safe once built.
 *
 * <p>Jackson binds the document into records with kebab-case keys, unknown keys refused and duplicate
 * keys refused; each adapter section's {@code type} picks its settings record from the installed
 * {@link AdapterFactory}s. Every failure, from YAML syntax to a route naming a missing adapter, comes
 * out as one {@link ConfigException} line. A key written in an old spelling that is still read
 * ({@link DeprecatedKeys}) gives one warning line in the same {@code file:line: key: …} form.
 */
public final class ConfigLoader {

    /** A key path at the start of a settings record's message: {@code port}, {@code tls.cert-file}. */
    private static final java.util.regex.Pattern LEADING_KEY = java.util.regex.Pattern.compile("([a-z][a-z0-9-]*(?:\\.[a-z][a-z0-9-]*)*)\\b");

    private final List<AdapterFactory> factories;
    private final Function<String, String> environment;
    private final Consumer<String> warnings;
    private final ObjectMapper mapper;

    /**
     * A loader that logs its warnings at WARN. The logger is only created when there is a warning, so that a
     * launcher may still configure logging after loading the file (see the three-argument constructor).
     *
     * @param factories   the adapter types that may appear in the file
     * @param environment looks up {@code ${NAME}} variables (usually {@code System::getenv})
     */
    public ConfigLoader(List<AdapterFactory> factories, Function<String, String> environment) {
        this(factories, environment, warning -> LoggerFactory.getLogger(ConfigLoader.class).warn("{}", warning));
    }

    /**
     * @param warnings receives each warning line (an old key spelling), on the loading thread, while loading
     */
    public ConfigLoader(List<AdapterFactory> factories, Function<String, String> environment, Consumer<String> warnings) {
        this.factories = List.copyOf(factories);
        this.environment = environment;
        this.warnings = warnings;
        this.mapper = buildMapper(this.factories);
    }

    /** A loader for the adapters on the class path and the process environment. */
    public static ConfigLoader withInstalledAdapters() {
        return new ConfigLoader(installedFactories(), System::getenv);
    }

    /** The adapter factories registered with {@link ServiceLoader} on the class path. */
    public static List<AdapterFactory> installedFactories() {
        List<AdapterFactory> found = new ArrayList<>();
        ServiceLoader.load(AdapterFactory.class).forEach(found::add);
        return found;
    }

    /** The cluster module's factory registered with {@link ServiceLoader} on the class path, if one is installed. */
    public static java.util.Optional<ClusterFactory> installedClusterFactory() {
        return ClusterSection.installed();
    }

    public List<AdapterFactory> factories() {
        return factories;
    }

    /** Reads and validates a file. */
    public BridgeConfig load(Path file) throws ConfigException {
        String text;
        try {
            text = Files.readString(file, StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            throw new ConfigException(file.toString(), 0, "", "no such file", "pass an existing file with --config, e.g. conf/sigbridge.yml");
        } catch (IOException e) {
            throw new ConfigException(file.toString(), 0, "", "cannot read: " + e.getMessage(), "check the path and its permissions");
        }
        return parse(text, file.toString());
    }

    /** Reads and validates YAML text; {@code source} names it in messages. */
    public BridgeConfig parse(String yaml, String source) throws ConfigException {
        requireVariables(yaml, source);
        FileModel model;
        try (JsonParser parser = new EnvironmentSubstitution(new DeprecatedKeys(mapper.createParser(yaml), source, warnings), environment)) {
            model = mapper.readValue(parser, FileModel.class);
        } catch (JsonProcessingException e) {
            KeyLines lines = KeyLines.index(yaml);
            throw withColumn(translate(e, source, lines), lines);
        } catch (IOException e) {
            throw new ConfigException(source, 0, "", "cannot read: " + e.getMessage(), "");
        }
        if (model == null) {
            throw new ConfigException(source, 0, "", "the file is empty", "start from conf/sigbridge.yml");
        }
        return model.toConfig(source, factories);
    }

    /** Every unset variable without a default, all in one exception, so that one run lists them all. */
    private void requireVariables(String yaml, String source) throws ConfigException {
        List<EnvironmentSubstitution.UnsetVariable> unset;
        try {
            unset = EnvironmentSubstitution.scan(mapper.createParser(yaml), environment);
        } catch (IOException e) {
            return; // the strict pass reports it
        }
        if (unset.isEmpty()) {
            return;
        }
        List<ConfigException> problems = new ArrayList<>();
        KeyLines lines = KeyLines.index(yaml);
        for (EnvironmentSubstitution.UnsetVariable u : unset) {
            // The parser stands after the value; KeyLines knows where the value starts.
            problems.add(withColumn(new ConfigException(source, u.getLocation().getLineNr(), u.keyPath, u.getOriginalMessage(), ""), lines));
        }
        throw problems.size() == 1 ? problems.get(0) : new ConfigException(problems);
    }

    private static ObjectMapper buildMapper(List<AdapterFactory> factories) {
        SimpleModule durations = new SimpleModule("sigbridge-durations");
        durations.addDeserializer(Duration.class, new DurationText.Deserializer());
        ObjectMapper m = YAMLMapper.builder()
                .propertyNamingStrategy(PropertyNamingStrategies.KEBAB_CASE)
                .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
                .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
                .enable(DeserializationFeature.FAIL_ON_READING_DUP_TREE_KEY)
                .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
                .addModule(durations)
                .build();
        for (AdapterFactory f : factories) {
            m.registerSubtypes(new NamedType(f.settingsType(), f.type()));
        }
        m.registerModule(ClusterSection.module());
        return m;
    }

    private ConfigException translate(JsonProcessingException e, String source, KeyLines lines) {
        JsonLocation loc = e.getLocation();
        String path = e instanceof JsonMappingException jme ? keyPath(jme) : "";
        EnvironmentSubstitution.UnsetVariable unset = findCause(e, EnvironmentSubstitution.UnsetVariable.class);
        if (unset != null) {
            return new ConfigException(source, unset.getLocation().getLineNr(), unset.keyPath, unset.getOriginalMessage(), "");
        }
        com.fasterxml.jackson.core.JsonParseException syntax = findCause(e, com.fasterxml.jackson.core.JsonParseException.class);
        if (syntax != null) {
            return syntaxError(source, path, syntax);
        }
        // Jackson's location is where the parser stood, which in YAML is often the next line; the key's
        // own line, where the path is known, is what an operator wants to see.
        int line = lines.lineOf(path).orElse(loc == null ? 0 : loc.getLineNr());
        if (e instanceof MismatchedInputException mi && mi.getTargetType() == FileModel.class && path.isEmpty()) {
            return new ConfigException(source, line, "", loc != null && loc.getLineNr() <= 1 && lines.isEmpty()
                    ? "the file is empty" : "the top level must be a mapping of sections", "start from conf/sigbridge.yml");
        }
        String knownTypes = factories.stream().map(AdapterFactory::type).sorted().collect(Collectors.joining(", "));
        if (e instanceof UnrecognizedPropertyException u) {
            TreeSet<String> known = new TreeSet<>();
            u.getKnownPropertyIds().forEach(k -> known.add(String.valueOf(k)));
            int column = lines.lineOf(path).equals(java.util.Optional.of(line)) ? lines.keyColumnOf(path).orElse(0) : 0;
            return new ConfigException(source, line, column, path, "unknown key '" + u.getPropertyName() + "'",
                    "known keys here: " + String.join(", ", known)); // the key, not its value, is what is wrong
        }
        if (e instanceof InvalidTypeIdException t) {
            if (t.getTypeId() == null) {
                return new ConfigException(source, line, path, "missing 'type'", "set type to one of: " + knownTypes);
            }
            return new ConfigException(source, lines.lineOf(path + ".type").orElse(line), path + ".type",
                    "unknown adapter type '" + t.getTypeId() + "'",
                    "use one of the installed types: " + knownTypes);
        }
        if (e instanceof ValueInstantiationException v && v.getCause() != null) {
            String message = oneLine(v.getCause().getMessage());
            // Settings records name the key they refuse first ("port must be between ..."; Check): point at that
            // key's own line when the section has it, not at the section's.
            java.util.regex.Matcher key = LEADING_KEY.matcher(message);
            if (key.lookingAt()) {
                // "port ..." inside adapters.web, or "tls.cert-file ..." from the record bound at adapters.web.tls
                String parent = path.contains(".") ? path.substring(0, path.lastIndexOf('.')) : "";
                for (String child : List.of(join(path, key.group(1)), join(parent, key.group(1)))) {
                    java.util.Optional<Integer> at = lines.lineOf(child);
                    if (at.isPresent() && child.startsWith(path)) {
                        return new ConfigException(source, at.get(), child, message, "");
                    }
                }
            }
            return new ConfigException(source, line, path, message, "");
        }
        if (e instanceof InvalidFormatException f) {
            return new ConfigException(source, line, path, "'" + f.getValue() + "' is not " + describe(f.getTargetType()),
                    "write " + describe(f.getTargetType()));
        }
        if (e instanceof MismatchedInputException mi && mi.getTargetType() != null) {
            return new ConfigException(source, line, path, "expected " + describe(mi.getTargetType()), oneLine(mi.getOriginalMessage()));
        }
        return new ConfigException(source, line, path, oneLine(e.getOriginalMessage()), "");
    }

    /**
     * The problem with the column of its key's value (or key) when it sits on the key's own line, as found by
     * {@link KeyLines}; a problem that already has a column (a syntax error, an unset variable) keeps it.
     */
    private static ConfigException withColumn(ConfigException e, KeyLines lines) {
        if (e.column() > 0 || e.line() == 0 || !lines.lineOf(e.keyPath()).equals(java.util.Optional.of(e.line()))) {
            return e;
        }
        return lines.columnOf(e.keyPath()).map(e::atColumn).orElse(e);
    }

    /** A YAML syntax error or duplicate key, at the parser's own position, in one line. */
    private static ConfigException syntaxError(String source, String path, com.fasterxml.jackson.core.JsonParseException e) {
        String message = oneLine(e.getOriginalMessage());
        // SnakeYAML names up to two places: where the construct began ("while parsing a block mapping ... line 3")
        // and where the problem was found ("expected <block end>, but found ... line 21"). The second is the line
        // to fix (a mis-indented key), except at the end of the stream, where the start (an open quote) is.
        java.util.regex.Matcher at = java.util.regex.Pattern.compile("line (\\d+), column (\\d+)").matcher(message);
        int line = e.getLocation() == null ? 0 : e.getLocation().getLineNr();
        int column = e.getLocation() == null ? 0 : e.getLocation().getColumnNr();
        boolean first = true;
        while (at.find()) {
            if (first || !message.contains("end of stream")) {
                line = Integer.parseInt(at.group(1));
                column = Integer.parseInt(at.group(2));
            }
            first = false;
        }
        // SnakeYAML quotes the offending text with a caret; the line number says enough.
        String problem = message.replaceAll(" in 'reader', line \\d+, column \\d+:.*?\\^", ":").replaceAll(":\\s*$", "").trim();
        if (problem.startsWith("Duplicate field")) {
            return new ConfigException(source, line, column, path, problem.replace("Duplicate field", "duplicate key"), "keep one of them");
        }
        return new ConfigException(source, line, column, path, problem, "check quoting and indentation (spaces, not tabs)");
    }

    private static String join(String path, String key) {
        return path.isEmpty() ? key : path + "." + key;
    }

    private static <T extends Throwable> T findCause(Throwable t, Class<T> type) {
        for (Throwable c = t; c != null; c = c.getCause()) {
            if (type.isInstance(c)) {
                return type.cast(c);
            }
        }
        return null;
    }

    private static String keyPath(JsonMappingException e) {
        StringBuilder sb = new StringBuilder();
        for (JsonMappingException.Reference ref : e.getPath()) {
            if (ref.getFieldName() != null) {
                if (sb.length() > 0) {
                    sb.append('.');
                }
                sb.append(ref.getFieldName());
            } else if (ref.getIndex() >= 0) {
                sb.append('[').append(ref.getIndex()).append(']');
            }
        }
        return sb.toString();
    }

    private static String describe(Class<?> type) {
        if (type == int.class || type == Integer.class || type == long.class || type == Long.class) {
            return "a whole number";
        }
        if (type == boolean.class || type == Boolean.class) {
            return "true or false";
        }
        if (type == Duration.class) {
            return "a duration such as 500ms, 30s or 5m";
        }
        if (type == String.class) {
            return "a string";
        }
        if (Map.class.isAssignableFrom(type)) {
            return "a mapping of keys to values";
        }
        if (List.class.isAssignableFrom(type)) {
            return "a list";
        }
        if (type.isRecord()) {
            return "a mapping of keys to values";
        }
        if (type.isEnum()) {
            return "one of " + java.util.Arrays.toString(type.getEnumConstants());
        }
        return "a " + type.getSimpleName() + " section";
    }

    private static String oneLine(String message) {
        if (message == null) {
            return "invalid value";
        }
        return message.replaceAll("\\s*\\R\\s*", " ").trim();
    }

    /**
     * The document as bound by Jackson, before cross-checks.
     */
    record FileModel(BridgeSettings bridge, Map<String, AdapterSettings> adapters, List<RouteConfig> routes,
                     LoggingSettings logging, ClusterSettings cluster) {

        BridgeConfig toConfig(String source, List<AdapterFactory> factories) throws ConfigException {
            BridgeSettings b = bridge == null ? BridgeSettings.DEFAULTS : bridge;
            Map<String, AdapterSettings> a = adapters == null ? Map.of() : adapters;
            for (Map.Entry<String, AdapterSettings> entry : a.entrySet()) {
                String name = entry.getKey();
                if (entry.getValue() == null) {
                    throw new ConfigException(source, 0, "adapters." + name, "empty section", "give at least its type, e.g. type: web");
                }
                if (!name.matches("[a-z][a-z0-9_-]*") || name.equals("local") || name.equals("deny")) {
                    throw new ConfigException(source, 0, "adapters." + name, "bad adapter name '" + name + "'",
                            "use lower-case letters, digits, '-' or '_', and not 'local' or 'deny'");
                }
            }
            if (a.isEmpty()) {
                throw new ConfigException(source, 0, "adapters", "no adapters configured", "add at least a web adapter, as in conf/sigbridge.yml");
            }
            RoutingTable table = RoutesCompiler.compile(source, routes == null ? List.of() : routes, b.defaultRoute(), a, factories);
            return new BridgeConfig(source, b, a, table, logging == null ? LoggingSettings.DEFAULTS : logging, cluster);
        }
    }
}
