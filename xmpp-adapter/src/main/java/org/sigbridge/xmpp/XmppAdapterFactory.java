package org.sigbridge.xmpp;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.sigbridge.routing.RouteTarget;
import org.sigbridge.spi.Adapter;
import org.sigbridge.spi.AdapterFactory;
import org.sigbridge.spi.AdapterSettings;
import org.sigbridge.xmpp.config.XmppSettings;
import org.sigbridge.xmpp.mapping.RoomAddresses;

/**
 * {@code type: xmpp}. Routes to it name a room JID template ({@code {channel}@conference.example.org}, or
 * none when the adapter sets {@code muc-service}) and may set the option {@code body: json|omit|both}.
 * Stateless and thread-safe.
 */
public final class XmppAdapterFactory implements AdapterFactory {

    private static final Map<String, List<String>> OPTIONS = Map.of("body", List.of("json", "omit", "both"));

    @Override
    public String type() {
        return "xmpp";
    }

    @Override
    public Class<? extends AdapterSettings> settingsType() {
        return XmppSettings.class;
    }

    @Override
    public List<String> validateRoute(AdapterSettings settings, RouteTarget.Leg route) {
        List<String> problems = new ArrayList<>(RoomAddresses.validateTemplate(route.template(), ((XmppSettings) settings).mucService()));
        route.options().forEach((key, value) -> {
            List<String> allowed = OPTIONS.get(key);
            if (allowed == null) {
                problems.add("unknown xmpp route option '" + key + "'; the only option is body (json|omit|both)");
            } else if (!allowed.contains(value)) {
                problems.add("xmpp route option " + key + ": '" + value + "' is not one of " + String.join(", ", allowed));
            }
        });
        return problems;
    }

    @Override
    public Adapter create(String name, AdapterSettings settings) {
        return new XmppAdapter(name, (XmppSettings) settings);
    }
}
