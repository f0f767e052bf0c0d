package org.sigbridge.routing;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Fills {@code {name}} placeholders in a route's target template. Values are escaped by the adapter
 * (XEP-0106 for JID localparts, RFC 3261 user escaping for SIP URIs), never here.
 */
public final class TargetTemplate {

    private static final Pattern PLACEHOLDER = Pattern.compile("\\{([a-zA-Z][a-zA-Z0-9]*)}");

    private TargetTemplate() {
    }

    /** The placeholder names a template uses, in order. */
    public static List<String> placeholders(String template) {
        List<String> names = new ArrayList<>();
        Matcher m = PLACEHOLDER.matcher(template);
        while (m.find()) {
            names.add(m.group(1));
        }
        return names;
    }

    /**
     * Expands a template.
     *
     * @throws IllegalArgumentException if it names a variable the match does not have (prevented at
     *                                  config time by {@link RoutingTable} validation)
     */
    public static String expand(String template, Map<String, String> variables, UnaryOperator<String> escape) {
        Matcher m = PLACEHOLDER.matcher(template);
        StringBuilder out = new StringBuilder(template.length() + 32);
        while (m.find()) {
            String value = variables.get(m.group(1));
            if (value == null) {
                throw new IllegalArgumentException("template " + template + " uses unknown variable {" + m.group(1) + "}");
            }
            m.appendReplacement(out, Matcher.quoteReplacement(escape.apply(value)));
        }
        m.appendTail(out);
        return out.toString();
    }
}
