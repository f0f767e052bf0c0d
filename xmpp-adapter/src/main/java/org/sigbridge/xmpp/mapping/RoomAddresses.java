package org.sigbridge.xmpp.mapping;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;
import org.jxmpp.jid.EntityBareJid;
import org.jxmpp.jid.impl.JidCreate;
import org.jxmpp.stringprep.XmppStringprepException;
import org.jxmpp.util.XmppStringUtils;
import org.sigbridge.routing.RouteMatch;
import org.sigbridge.routing.TargetTemplate;

/**
 * Room JIDs from channel names (docs/design.md §4.1). A template such as {@code {channel}@conference.example.org}
 * is filled with each variable lowercased and XEP-0106-escaped ({@code "} {@code &} {@code '} {@code /}
 * {@code :} {@code <} {@code >} {@code @} {@code \} and space become {@code \22} …), so any channel name,
 * e.g. a seed page's {@code location.href}, gives a valid localpart. A localpart that is still not valid
 * (a character nodeprep prohibits) or longer than RFC 7622's 1023 bytes becomes {@code sb-} plus a SHA-256
 * prefix: deterministic, so every bridge picks the same room. The exact channel name travels in the
 * {@code signal} element, so {@code Room} and {@code room} share a room but stay distinct channels.
 */
public final class RoomAddresses {

    /** RFC 7622 §3.3: a localpart is at most 1023 bytes. */
    private static final int MAX_LOCALPART_BYTES = 1023;
    private static final Pattern TEMPLATE = Pattern.compile("[^@/\\s]+@[^@/{}\\s]+");

    private RoomAddresses() {
    }

    /** The room for an open channel: its route's target, or {@code {channel}@mucService} when the route has none. */
    public static EntityBareJid roomFor(RouteMatch match, String mucService) {
        String template = effectiveTemplate(match.leg().map(l -> l.template()).orElse(""), mucService);
        String jid = TargetTemplate.expand(template, match.variables(), RoomAddresses::escapeLocalpart);
        try {
            return JidCreate.entityBareFrom(jid);
        } catch (XmppStringprepException e) {
            // The escaped value passed nodeprep on its own; only the template's domain can fail here.
            throw new IllegalArgumentException("route target '" + template + "' does not give a room JID for channel '"
                    + match.channel() + "': " + e.getMessage(), e);
        }
    }

    /** A template, or the default one on {@code mucService}; empty when neither is set. */
    public static String effectiveTemplate(String template, String mucService) {
        if (template != null && !template.isEmpty()) {
            return template;
        }
        return mucService == null ? "" : "{channel}@" + mucService;
    }

    /**
     * Problems with a route's room template, each one line naming the fix; empty when it is good.
     *
     * @param template   the route's target, possibly empty
     * @param mucService the adapter's {@code muc-service}, possibly {@code null}
     */
    public static List<String> validateTemplate(String template, String mucService) {
        List<String> problems = new ArrayList<>();
        String t = effectiveTemplate(template, mucService);
        if (t.isEmpty()) {
            problems.add("an xmpp route needs a room JID template as target, e.g. target: \"{channel}@conference.example.org\","
                    + " or muc-service set on the adapter");
            return problems;
        }
        if (!TEMPLATE.matcher(t).matches()) {
            problems.add("target '" + t + "' is not a room JID template: write localpart@muc-service with placeholders only in the"
                    + " localpart and no /resource, e.g. {channel}@conference.example.org");
            return problems;
        }
        String localpart = t.substring(0, t.indexOf('@'));
        if (TargetTemplate.placeholders(localpart).isEmpty()) {
            problems.add("target '" + t + "' sends every channel to one room; put {channel} (or a regex group) in the localpart");
            return problems;
        }
        try {
            JidCreate.entityBareFrom(localpart.replaceAll("\\{[a-zA-Z][a-zA-Z0-9]*}", "x") + t.substring(t.indexOf('@')));
        } catch (XmppStringprepException e) {
            problems.add("target '" + t + "' is not a valid JID template: " + e.getMessage());
        }
        return problems;
    }

    /** One variable's value as a localpart fragment: lowercased, XEP-0106-escaped, hashed if still unusable. */
    public static String escapeLocalpart(String value) {
        String escaped = XmppStringUtils.escapeLocalpart(value.toLowerCase(Locale.ROOT));
        if (escaped.getBytes(StandardCharsets.UTF_8).length <= MAX_LOCALPART_BYTES && isValidLocalpart(escaped)) {
            return escaped;
        }
        return "sb-" + sha256Hex(value.toLowerCase(Locale.ROOT)).substring(0, 32);
    }

    private static boolean isValidLocalpart(String localpart) {
        if (localpart.isEmpty() || !XmlChars.allValid(localpart)) {
            return false;
        }
        try {
            return JidCreate.entityBareFrom(localpart + "@example.org").getLocalpart().toString().equals(localpart);
        } catch (XmppStringprepException e) {
            return false;
        }
    }

    private static String sha256Hex(String text) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JVM has SHA-256", e);
        }
    }
}
