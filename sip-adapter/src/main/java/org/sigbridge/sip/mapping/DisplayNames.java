package org.sigbridge.sip.mapping;

/** Display names in From headers (RFC 3261 §25.1 quoted-string): written safely, read back unescaped. Pure. */
final class DisplayNames {

    private DisplayNames() {
    }

    /** A display name as RFC 3261 §25.1 quoted-string content: no CR/LF, {@code "} and {@code \} escaped. */
    static String quote(String name) {
        StringBuilder sb = new StringBuilder(name.length() + 2);
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            if (c < 0x20 || c == 0x7f) {
                sb.append(' ');
            } else {
                if (c == '"' || c == '\\') {
                    sb.append('\\');
                }
                sb.append(c);
            }
        }
        return sb.toString();
    }

    static String unquote(String display) {
        String d = display.length() >= 2 && display.startsWith("\"") && display.endsWith("\"")
                ? display.substring(1, display.length() - 1) : display;
        if (d.indexOf('\\') < 0) {
            return d;
        }
        StringBuilder sb = new StringBuilder(d.length());
        for (int i = 0; i < d.length(); i++) {
            char c = d.charAt(i);
            if (c == '\\' && i + 1 < d.length()) {
                c = d.charAt(++i);
            }
            sb.append(c);
        }
        return sb.toString();
    }
}
