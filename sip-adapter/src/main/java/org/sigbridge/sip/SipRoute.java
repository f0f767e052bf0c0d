package org.sigbridge.sip;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.sigbridge.routing.RouteMatch;
import org.sigbridge.routing.RouteTarget;
import org.sigbridge.sip.mapping.ContentKind;
import org.sigbridge.sip.mapping.SipUserPart;
import org.sigbridge.sip.mapping.TransportChoice;

/**
 * A route to a SIP adapter, read from its target template and options:
 * <ul>
 *   <li>{@code target}: the URI template of a channel's member; empty means {@code sip:{channel}@<domain>};
 *       {@code none} means no templated member (only static and dynamic ones);</li>
 *   <li>{@code content}: {@code json} (default) or {@code text};</li>
 *   <li>{@code transport}: {@code auto} (default), {@code udp} or {@code tcp};</li>
 *   <li>{@code members}: static member URIs, comma-separated.</li>
 * </ul>
 *
 * @param template the member URI template, empty for none
 * @param content  the body type of outgoing MESSAGEs
 * @param transport the transport choice
 * @param members  static member URIs
 */
public record SipRoute(Optional<String> template, ContentKind content, TransportChoice transport, List<String> members) {

    /** The option keys a SIP route accepts. */
    public static final Set<String> OPTIONS = Set.of("content", "transport", "members");

    public SipRoute {
        members = List.copyOf(members);
    }

    /**
     * Reads a route.
     *
     * @throws IllegalArgumentException naming the bad option and the fix
     */
    public static SipRoute of(RouteTarget.Leg leg, SipSettings settings) {
        for (String key : leg.options().keySet()) {
            if (!OPTIONS.contains(key)) {
                throw new IllegalArgumentException("unknown SIP route option '" + key + "'; known: content, transport, members");
            }
        }
        Map<String, String> o = leg.options();
        String t = leg.template().trim();
        Optional<String> template = t.equalsIgnoreCase("none") ? Optional.empty()
                : Optional.of(t.isEmpty() ? "sip:{channel}@" + settings.domain() : t);
        List<String> members = new ArrayList<>();
        for (String m : o.getOrDefault("members", "").split(",")) {
            if (!m.isBlank()) {
                members.add(m.trim());
            }
        }
        return new SipRoute(template, ContentKind.parse(o.getOrDefault("content", "json").trim()),
                TransportChoice.parse(o.getOrDefault("transport", "auto").trim()), members);
    }

    /** The templated member URI for a matched channel, with variables escaped as SIP user parts. */
    public Optional<String> targetFor(RouteMatch match) {
        return template.map(tpl -> org.sigbridge.routing.TargetTemplate.expand(tpl, match.variables(), SipUserPart::escape));
    }
}
