package org.sigbridge.web;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.ServiceLoader;
import java.util.Set;
import java.util.TreeMap;
import org.sigbridge.web.spi.WebDialect;

/**
 * The {@link WebDialect}s on the class path, found with {@link ServiceLoader}
 * ({@code META-INF/services/org.sigbridge.web.spi.WebDialect}), as the bridge finds adapter factories. Read once per
 * call; thread-safe.
 */
final class InstalledDialects {

    private InstalledDialects() {
    }

    /** Every installed dialect by name, in name order. */
    static Map<String, WebDialect> all() {
        Map<String, WebDialect> byName = new TreeMap<>();
        for (WebDialect dialect : ServiceLoader.load(WebDialect.class, InstalledDialects.class.getClassLoader())) {
            WebDialect earlier = byName.putIfAbsent(dialect.name(), dialect);
            if (earlier != null && earlier.getClass() != dialect.getClass()) {
                throw new IllegalStateException("two web dialects are named '" + dialect.name() + "': "
                        + earlier.getClass().getName() + " and " + dialect.getClass().getName() + "; remove one jar from the class path");
            }
        }
        return byName;
    }

    /** Every installed dialect's name, in name order: the default of the {@code dialects} key. */
    static List<String> names() {
        return List.copyOf(all().keySet());
    }

    /**
     * The listed names, checked.
     *
     * @throws IllegalArgumentException for an unknown or repeated name, naming the installed ones
     */
    static List<String> check(List<String> listed) {
        Set<String> installed = all().keySet();
        Set<String> seen = new HashSet<>();
        for (String name : listed) {
            if (name == null || !installed.contains(name)) {
                throw new IllegalArgumentException("dialects: " + unknown(name, installed));
            }
            if (!seen.add(name)) {
                throw new IllegalArgumentException("dialects: '" + name + "' is listed twice");
            }
        }
        return List.copyOf(listed);
    }

    /** Why {@code name} is refused, or empty when a dialect of that name is installed. */
    static Optional<String> problem(String name) {
        Set<String> installed = all().keySet();
        return name != null && installed.contains(name) ? Optional.empty() : Optional.of(unknown(name, installed));
    }

    private static String unknown(String name, Set<String> installed) {
        return "unknown dialect '" + name + "'; installed: "
                + (installed.isEmpty() ? "none (add a dialect jar such as sigbridge-web-classic)" : String.join(", ", installed));
    }

    /** The listed dialects, in the listed order. */
    static List<WebDialect> resolve(List<String> names) {
        Map<String, WebDialect> all = all();
        Map<String, WebDialect> chosen = new LinkedHashMap<>();
        for (String name : names) {
            WebDialect d = all.get(name);
            if (d == null) {
                throw new IllegalArgumentException("web dialect '" + name + "' is not on the class path");
            }
            chosen.put(name, d);
        }
        return new ArrayList<>(chosen.values());
    }
}
