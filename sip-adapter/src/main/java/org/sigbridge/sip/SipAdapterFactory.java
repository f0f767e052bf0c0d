package org.sigbridge.sip;

import gov.nist.javax.sip.address.AddressFactoryImpl;
import java.text.ParseException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import javax.sip.address.SipURI;
import org.sigbridge.routing.RouteTarget;
import org.sigbridge.routing.TargetTemplate;
import org.sigbridge.sip.mapping.SipUserPart;
import org.sigbridge.spi.Adapter;
import org.sigbridge.spi.AdapterFactory;
import org.sigbridge.spi.AdapterSettings;

/** Adapters of type {@code sip}: the SIP MESSAGE leg. Stateless; found with {@link java.util.ServiceLoader}. */
public final class SipAdapterFactory implements AdapterFactory {

    @Override
    public String type() {
        return "sip";
    }

    @Override
    public Class<? extends AdapterSettings> settingsType() {
        return SipSettings.class;
    }

    /** Checks the options, that the template expands to a SIP URI, and that static members are SIP URIs. */
    @Override
    public List<String> validateRoute(AdapterSettings settings, RouteTarget.Leg route) {
        List<String> problems = new ArrayList<>();
        SipRoute sip;
        try {
            sip = SipRoute.of(route, (SipSettings) settings);
        } catch (IllegalArgumentException e) {
            return List.of(e.getMessage());
        }
        AddressFactoryImpl parser = new AddressFactoryImpl();
        sip.template().ifPresent(tpl -> {
            Map<String, String> sample = new HashMap<>();
            TargetTemplate.placeholders(tpl).forEach(p -> sample.put(p, "x"));
            String uri = TargetTemplate.expand(tpl, sample, SipUserPart::escape);
            checkUri(parser, uri, "target '" + tpl + "'", problems);
        });
        for (String member : sip.members()) {
            checkUri(parser, member, "member '" + member + "'", problems);
        }
        return problems;
    }

    private static void checkUri(AddressFactoryImpl parser, String uri, String what, List<String> problems) {
        try {
            if (!(parser.createURI(uri) instanceof SipURI sip) || sip.getHost() == null) {
                problems.add(what + " is not a sip: or sips: URI; write e.g. sip:{channel}@pbx.example.org");
            }
        } catch (ParseException e) {
            problems.add(what + " is not a valid SIP URI (" + e.getMessage() + "); write e.g. sip:{channel}@pbx.example.org");
        }
    }

    @Override
    public Adapter create(String name, AdapterSettings settings) {
        return new SipAdapter(name, (SipSettings) settings);
    }
}
