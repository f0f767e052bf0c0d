package org.sigbridge.sip.mapping;

import java.util.Locale;

/** How an outgoing MESSAGE carries an envelope: the route option {@code content}. */
public enum ContentKind {
    /** {@code application/json}: the whole envelope object, so another bridge keeps id and sender. */
    JSON("application", "json"),
    /** {@code text/plain}: only the message, as text, for phones and plain user agents. */
    TEXT("text", "plain");

    private final String type;
    private final String subType;

    ContentKind(String type, String subType) {
        this.type = type;
        this.subType = subType;
    }

    public String type() {
        return type;
    }

    public String subType() {
        return subType;
    }

    /** {@code json} or {@code text}, as written in config. */
    public static ContentKind parse(String text) {
        return switch (text.toLowerCase(Locale.ROOT)) {
            case "json" -> JSON;
            case "text" -> TEXT;
            default -> throw new IllegalArgumentException("content '" + text + "' must be json or text");
        };
    }
}
