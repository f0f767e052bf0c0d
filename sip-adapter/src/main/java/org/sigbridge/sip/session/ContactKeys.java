package org.sigbridge.sip.session;

import java.util.Locale;

/**
 * Keys that identify a registrar binding's contact (RFC 3261 §10.3): {@link Registration} compares the contacts a
 * registrar lists in its 2xx to REGISTER with those of dynamic members. Pure; any thread.
 */
final class ContactKeys {

    private ContactKeys() {
    }

    /** {@code user@host:port} with the host in lower case (user parts are case-sensitive), no scheme or parameters. */
    static String of(String uri) {
        String s = uri.trim();
        if (s.startsWith("<") && s.endsWith(">")) {
            s = s.substring(1, s.length() - 1);
        }
        int colon = s.indexOf(':');
        if (colon >= 0 && s.substring(0, colon).matches("(?i)sips?")) {
            s = s.substring(colon + 1);
        }
        int end = s.length();
        for (char c : new char[] {';', '?', '>'}) {
            int i = s.indexOf(c);
            if (i >= 0 && i < end) {
                end = i;
            }
        }
        s = s.substring(0, end);
        int at = s.lastIndexOf('@');
        return at < 0 ? s.toLowerCase(Locale.ROOT) : s.substring(0, at) + s.substring(at).toLowerCase(Locale.ROOT);
    }
}
