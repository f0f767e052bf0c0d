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

    private static URI parse(String text) {
        try {
            return PARSER.createURI(text.trim());
        } catch (ParseException | RuntimeException e) {
            return null;
        }
    }
}
