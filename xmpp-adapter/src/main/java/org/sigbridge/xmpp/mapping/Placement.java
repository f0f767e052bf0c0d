package org.sigbridge.xmpp.mapping;

import org.sigbridge.xmpp.config.BodyMode;

/**
 * Where one outgoing stanza carries the envelope's message JSON (docs/design.md §4.2): in {@code <body>}, as the
 * {@code signal} element's text, or both. Pure; immutable.
 *
 * <p>{@link BodyMode#JSON} puts it only in the body, except when the body cannot hold the exact text: Smack leaves
 * {@code '>'} unescaped in a body, so a JSON text containing {@code "]]>"} (possible only inside a JSON string) is
 * written there with {@code "]]\u003e"}, the same string to a JSON reader but not the same bytes; that rare envelope
 * then also carries its exact text in the {@code signal} element, which receivers prefer (docs/design.md §2.1: the
 * raw JSON text is kept byte for byte).
 *
 * @param inBody    write a {@code <body>}
 * @param bodyExact the body holds the exact JSON text (else the {@code "]]>"} escape above)
 * @param inSignal  write the JSON as the {@code signal} element's text
 */
record Placement(boolean inBody, boolean bodyExact, boolean inSignal) {

    static Placement of(BodyMode mode, String json) {
        boolean exact = !json.contains("]]>");
        return switch (mode) {
            case JSON -> new Placement(true, exact, !exact);
            case OMIT -> new Placement(false, true, true);
            case BOTH -> new Placement(true, exact, true);
        };
    }

    /** How many times the JSON text appears in the stanza: 1 or 2. */
    int copies() {
        return (inBody ? 1 : 0) + (inSignal ? 1 : 0);
    }
}
