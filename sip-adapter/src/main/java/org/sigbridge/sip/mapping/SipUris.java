package org.sigbridge.sip.mapping;

import gov.nist.javax.sip.address.AddressFactoryImpl;
import java.text.ParseException;
import javax.sip.address.URI;

/**
 * SIP URI comparison by RFC 3261 §19.1.4, so that one user agent named two ways is one member: scheme and host
 * case-insensitive, the user part case-sensitive, escaped and unescaped characters equal, {@code transport}, {@code
 * user}, {@code ttl}, {@code method} and {@code maddr} parameters equal when either URI has them, other parameters
 * only when both do, headers equal. JAIN-SIP's {@code SipUri.equals} implements these rules; this class parses with
 * JAIN-SIP's address parser (no stack needed). Pure and thread-safe; never resolves a name.
 */
public final class SipUris {

    private static final AddressFactoryImpl PARSER = new AddressFactoryImpl();

    private SipUris() {
    }

    /**
     * Whether {@code a} and {@code b} are equivalent SIP or SIPS URIs (§19.1.4); identical strings always are, and text
     * that does not parse as a SIP URI equals only itself.
     */
    public static boolean equivalent(String a, String b) {
        if (a.equals(b)) {
            return true;
        }
        URI ua = parse(a);
        URI ub = parse(b);
        return ua != null && ub != null && ua.isSipURI() && ub.isSipURI() && ua.equals(ub);
    }

    /**
     * Whether {@code uri} names the address of record {@code aor} (a URI without parameters, such as a From URI's
     * {@code scheme:user@host[:port]}): {@code uri} with its parameters and headers removed is {@link #equivalent} to
     * it. A MESSAGE to {@code sip:desk@example.org;transport=tcp} reaches the bindings the registrar holds for
     * {@code sip:desk@example.org} (RFC 3261 §10.3, §16.5), so the two name one user for fan-out.
     */
    public static boolean namesAor(String uri, String aor) {
        if (equivalent(uri, aor)) {
            return true;
        }
        URI parsed = parse(uri);
        if (!(parsed instanceof javax.sip.address.SipURI sip)) {
            return false;
        }
        StringBuilder bare = new StringBuilder(sip.getScheme()).append(':');
        if (sip.getUser() != null) {
            bare.append(sip.getUser()).append('@');
        }
        bare.append(sip.getHost());
        if (sip.getPort() > 0) {
            bare.append(':').append(sip.getPort());
        }
        return equivalent(bare.toString(), aor);
    }

    /** {@code text} parsed as a {@code sip:} or {@code sips:} URI; empty when it is not one. */
    public static java.util.Optional<javax.sip.address.SipURI> parseSipUri(String text) {
        return parse(text) instanceof javax.sip.address.SipURI sip ? java.util.Optional.of(sip) : java.util.Optional.empty();
    }

    private static URI parse(String text) {
        try {
            return PARSER.createURI(text.trim());
        } catch (ParseException | RuntimeException e) {
            return null;
        }
    }
}
