package org.sigbridge.xmpp.mapping;

/**
 * XML 1.0 character rules (XML 1.0 §2.2 {@code Char}). A stanza holding a character outside them, even
 * escaped, is a stream error that costs the whole connection (RFC 6120 §4.9.3.13), so outgoing text is
 * checked before it is sent.
 */
final class XmlChars {

    private XmlChars() {
    }

    /** Whether every character of {@code text} may appear in an XML 1.0 document. */
    static boolean allValid(CharSequence text) {
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c >= 0x20 && c < 0xD800) {
                continue;
            }
            if (c == 0x9 || c == 0xA || c == 0xD || (c >= 0xE000 && c <= 0xFFFD)) {
                continue;
            }
            if (Character.isHighSurrogate(c) && i + 1 < text.length() && Character.isLowSurrogate(text.charAt(i + 1))) {
                i++;
                continue;
            }
            return false;
        }
        return true;
    }
}
