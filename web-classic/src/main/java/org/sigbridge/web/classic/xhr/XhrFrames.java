package org.sigbridge.web.classic.xhr;

import org.sigbridge.envelope.JsonValue;

/** The XHR endpoints' response bodies (docs/dialects.md §4.1). Pure. */
public final class XhrFrames {

    private XhrFrames() {
    }

    /** {@code GetData}'s answer: {@code {"ID":n,"Message":"<envelope JSON as a string>","Date":"\/Date(ms)\/"}}. */
    public static String entry(XhrEntry e) {
        return "{\"ID\":" + e.id() + ",\"Message\":" + JsonValue.string(e.json()).json()
                + ",\"Date\":\"\\/Date(" + e.atMillis() + ")\\/\"}";
    }

    /** {@code GetData} with nothing new. */
    public static String none() {
        return "false";
    }

    /** {@code PostData}'s answer. */
    public static String posted() {
        return "true";
    }
}
