package org.sigbridge.routing;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * A compiled pattern over whole channel names. A glob ({@code *} any run of characters, {@code ?} one
 * character, all else literal) or a Java regex whose named groups become template variables. Immutable.
 */
public final class RoutePattern {

    private static final Pattern GROUP_NAME = Pattern.compile("\\(\\?<([a-zA-Z][a-zA-Z0-9]*)>");

    private final String source;
    private final boolean regex;
    private final Pattern pattern;
    private final List<String> groupNames;

    private RoutePattern(String source, boolean regex, Pattern pattern, List<String> groupNames) {
        this.source = source;
        this.regex = regex;
        this.pattern = pattern;
        this.groupNames = List.copyOf(groupNames);
    }

    /** A glob such as {@code *}, {@code conf-*} or {@code room-??}. */
    public static RoutePattern glob(String glob) {
        Objects.requireNonNull(glob, "glob");
        if (glob.isEmpty()) {
            throw new IllegalArgumentException("empty pattern; use \"*\" to match every channel");
        }
        StringBuilder re = new StringBuilder();
        StringBuilder literal = new StringBuilder();
        for (int i = 0; i < glob.length(); i++) {
            char c = glob.charAt(i);
            if (c == '*' || c == '?') {
                if (literal.length() > 0) {
                    re.append(Pattern.quote(literal.toString()));
                    literal.setLength(0);
                }
                re.append(c == '*' ? ".*" : ".");
            } else {
                literal.append(c);
            }
        }
        if (literal.length() > 0) {
            re.append(Pattern.quote(literal.toString()));
        }
        return new RoutePattern(glob, false, Pattern.compile(re.toString(), Pattern.DOTALL), List.of());
    }

    /**
     * A Java regular expression that must match the whole channel name.
     *
     * @throws IllegalArgumentException with the regex engine's description if it does not compile
     */
    public static RoutePattern regex(String regex) {
        Objects.requireNonNull(regex, "regex");
        Pattern compiled;
        try {
            compiled = Pattern.compile(regex, Pattern.DOTALL);
        } catch (PatternSyntaxException e) {
            throw new IllegalArgumentException("invalid regex: " + e.getDescription() + " near index " + e.getIndex());
        }
        // Java 17 has no Matcher.namedGroups(); named groups are read from the source instead.
        List<String> names = new ArrayList<>();
        Matcher m = GROUP_NAME.matcher(regex);
        while (m.find()) {
            names.add(m.group(1));
        }
        return new RoutePattern(regex, true, compiled, names);
    }

    /**
     * Matches a whole channel name.
     *
     * @return the template variables ({@code channel} and any named groups) if it matches
     */
    public Optional<Map<String, String>> match(String channel) {
        Matcher m = pattern.matcher(channel);
        if (!m.matches()) {
            return Optional.empty();
        }
        Map<String, String> vars = new LinkedHashMap<>();
        vars.put("channel", channel);
        for (String name : groupNames) {
            String value = m.group(name);
            vars.put(name, value == null ? "" : value);
        }
        return Optional.of(vars);
    }

    /** The template variables a match provides: {@code channel} and the regex's named groups. */
    public List<String> variables() {
        List<String> vars = new ArrayList<>();
        vars.add("channel");
        vars.addAll(groupNames);
        return vars;
    }

    public boolean isRegex() {
        return regex;
    }

    public String source() {
        return source;
    }

    @Override
    public String toString() {
        return regex ? "regex:" + source : source;
    }
}
