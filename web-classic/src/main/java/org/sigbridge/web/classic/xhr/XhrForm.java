package org.sigbridge.web.classic.xhr;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * Reads the fields of a form body: {@code application/x-www-form-urlencoded} or {@code multipart/form-data}
 * (what a page's {@code FormData} sends, RFC 7578). Text fields only; pure and thread-safe.
 */
public final class XhrForm {

    private XhrForm() {
    }

    /**
     * @param contentType the request's {@code Content-Type}, or {@code null}
     * @param body        the whole body
     * @return the fields in order; the last of a repeated name wins. Unreadable bodies give no fields.
     */
    public static Map<String, String> parse(String contentType, byte[] body) {
        String type = contentType == null ? "" : contentType.toLowerCase(Locale.ROOT);
        if (type.startsWith("multipart/form-data")) {
            String boundary = parameter(contentType, "boundary");
            return boundary == null ? Map.of() : multipart(new String(body, StandardCharsets.UTF_8), boundary);
        }
        return urlEncoded(new String(body, StandardCharsets.UTF_8));
    }

    private static Map<String, String> urlEncoded(String text) {
        Map<String, String> fields = new LinkedHashMap<>();
        for (String pair : text.split("&")) {
            if (pair.isEmpty()) {
                continue;
            }
            int eq = pair.indexOf('=');
            try {
                String name = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
                String value = eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
                fields.put(name, value);
            } catch (IllegalArgumentException e) {
                // a malformed %-escape: skip the pair, the caller reports the missing field
            }
        }
        return fields;
    }

    private static Map<String, String> multipart(String text, String boundary) {
        Map<String, String> fields = new LinkedHashMap<>();
        String delimiter = "--" + boundary;
        String[] parts = text.split(java.util.regex.Pattern.quote(delimiter), -1);
        for (int i = 1; i < parts.length; i++) {
            String part = parts[i];
            if (part.startsWith("--")) {
                break; // the close delimiter
            }
            int headersEnd = part.indexOf("\r\n\r\n");
            if (headersEnd < 0) {
                continue;
            }
            String headers = part.substring(0, headersEnd);
            String name = null;
            for (String line : headers.split("\r\n")) {
                if (line.toLowerCase(Locale.ROOT).startsWith("content-disposition:")) {
                    name = parameter(line, "name");
                }
            }
            if (name == null) {
                continue;
            }
            String value = part.substring(headersEnd + 4);
            if (value.endsWith("\r\n")) {
                value = value.substring(0, value.length() - 2);
            }
            fields.put(name, value);
        }
        return fields;
    }

    /** A {@code name=value} or {@code name="value"} parameter of a header value. */
    static String parameter(String header, String name) {
        for (String piece : header.split(";")) {
            String p = piece.trim();
            int eq = p.indexOf('=');
            if (eq > 0 && p.substring(0, eq).trim().equalsIgnoreCase(name)) {
                String v = p.substring(eq + 1).trim();
                if (v.length() >= 2 && v.startsWith("\"") && v.endsWith("\"")) {
                    v = v.substring(1, v.length() - 1);
                }
                return v;
            }
        }
        return null;
    }
}
