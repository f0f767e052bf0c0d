package org.sigbridge.config;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.sigbridge.routing.RoutePattern;
import org.sigbridge.routing.RouteRule;
import org.sigbridge.routing.RouteTarget;
import org.sigbridge.routing.RoutingTable;
import org.sigbridge.routing.TargetTemplate;
import org.sigbridge.spi.AdapterFactory;
import org.sigbridge.spi.AdapterSettings;

/**
 * Compiles {@code routes:} into a {@link RoutingTable}, checking what Jackson cannot: one pattern per
 * route, patterns that compile, targets naming a configured back-end adapter, template placeholders
 * the pattern provides, and the adapter's own route options.
 */
public final class RoutesCompiler {

    private RoutesCompiler() {
    }

    /**
     * @param source       the file name for messages and rule sources
     * @param routes       the entries as written
     * @param defaultRoute {@code local} or {@code deny}
     * @param adapters     configured adapters by name
     * @param factories    installed adapter factories
     */
    public static RoutingTable compile(String source, List<RouteConfig> routes, String defaultRoute,
                                       Map<String, AdapterSettings> adapters, List<AdapterFactory> factories)
            throws ConfigException {
        List<RouteRule> rules = new ArrayList<>();
        for (int i = 0; i < routes.size(); i++) {
            RouteConfig route = routes.get(i);
            if (route == null) {
                throw new ConfigException(source, 0, "routes[" + i + "]", "empty route", "write e.g. {match: \"*\", to: local}");
            }
            rules.add(compileOne(source, i, route, adapters, factories));
        }
        RouteTarget fallback = defaultRoute.equals("deny") ? new RouteTarget.Deny() : new RouteTarget.Local();
        return new RoutingTable(rules, fallback);
    }

    private static RouteRule compileOne(String source, int index, RouteConfig route, Map<String, AdapterSettings> adapters,
                                        List<AdapterFactory> factories) throws ConfigException {
        String path = "routes[" + index + "]";
        int line = route.line();
        if ((route.match() == null) == (route.regex() == null)) {
            throw new ConfigException(source, line, path, "a route needs exactly one of 'match' (a glob) or 'regex'",
                    "write match: \"conf-*\" or regex: \"^conf-(?<room>.+)$\"");
        }
        RoutePattern pattern;
        try {
            pattern = route.match() != null ? RoutePattern.glob(route.match()) : RoutePattern.regex(route.regex());
        } catch (IllegalArgumentException e) {
            throw new ConfigException(source, line, path + (route.match() != null ? ".match" : ".regex"), e.getMessage(),
                    "fix the pattern; a regex must match the whole channel name");
        }
        if (route.to() == null || route.to().isBlank()) {
            throw new ConfigException(source, line, path + ".to", "missing 'to'",
                    "use local, deny or an adapter name: " + String.join(", ", adapters.keySet()));
        }
        String ruleSource = source + ":" + line;
        switch (route.to()) {
            case "local", "deny" -> {
                if (route.target() != null || !route.options().isEmpty()) {
                    throw new ConfigException(source, line, path, "'target' and 'options' only apply to routes to an adapter",
                            "remove them, or route to an adapter");
                }
                RouteTarget target = route.to().equals("local") ? new RouteTarget.Local() : new RouteTarget.Deny();
                return new RouteRule(index, pattern, target, ruleSource);
            }
            default -> {
                return new RouteRule(index, pattern, legTarget(source, path, line, route, pattern, adapters, factories), ruleSource);
            }
        }
    }

    private static RouteTarget.Leg legTarget(String source, String path, int line, RouteConfig route, RoutePattern pattern,
                                             Map<String, AdapterSettings> adapters, List<AdapterFactory> factories)
            throws ConfigException {
        AdapterSettings settings = adapters.get(route.to());
        if (settings == null) {
            throw new ConfigException(source, line, path + ".to", "no adapter named '" + route.to() + "'",
                    "use local, deny or one of: " + String.join(", ", adapters.keySet()));
        }
        AdapterFactory factory = factories.stream()
                .filter(f -> f.settingsType().isInstance(settings))
                .findFirst()
                .orElseThrow(() -> new IllegalStateException("no factory for " + settings.getClass()));
        RouteTarget.Leg leg = new RouteTarget.Leg(route.to(), route.target(), route.options());
        Set<String> provided = new TreeSet<>(pattern.variables());
        for (String placeholder : TargetTemplate.placeholders(leg.template())) {
            if (!provided.contains(placeholder)) {
                throw new ConfigException(source, line, path + ".target", "uses {" + placeholder + "}, which the pattern does not provide",
                        "available: {" + String.join("}, {", provided) + "}; named regex groups add more");
            }
        }
        List<String> problems = factory.validateRoute(settings, leg);
        if (!problems.isEmpty()) {
            throw new ConfigException(source, line, path, problems.get(0), "see conf/README.md, section routes");
        }
        return leg;
    }
}
