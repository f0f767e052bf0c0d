package org.sigbridge.web.limit;

import java.util.List;
import java.util.Locale;

/**
 * Which browser origins may open a WebSocket or post to the XHR endpoints. Immutable, thread-safe.
 *
 * <p>Allowed: a request without an {@code Origin} header (not a browser, so no cross-site risk), the bridge's
 * own origin (the {@code Origin} names the {@code Host} the request was sent to), and every allow-list entry:
 * {@code scheme://host:port}, {@code scheme://host:*} for any port, {@code scheme://host} for the default port,
 * or {@code *} for any origin. Browsers send the origin in lower case (RFC 6454 §6.1); so do we compare.
 */
public final class OriginPolicy {

    private final List<String> allowed;
    private final boolean any;

    public OriginPolicy(List<String> allowedOrigins) {
        this.allowed = allowedOrigins.stream().map(o -> o.toLowerCase(Locale.ROOT)).toList();
        this.any = allowed.contains("*");
    }

    /**
     * @param origin the request's {@code Origin} header, or {@code null}
     * @param host   the request's {@code Host} header (host[:port]), or {@code null}
     */
    public boolean allows(String origin, String host) {
        if (origin == null || any) {
            return true;
        }
        String o = origin.toLowerCase(Locale.ROOT);
        if (host != null && (o.equals("http://" + host.toLowerCase(Locale.ROOT)) || o.equals("https://" + host.toLowerCase(Locale.ROOT)))) {
            return true;
        }
        for (String entry : allowed) {
            if (matches(entry, o)) {
                return true;
            }
        }
        return false;
    }

    private static boolean matches(String entry, String origin) {
        if (entry.endsWith(":*")) {
            String prefix = entry.substring(0, entry.length() - 1); // keep the ':'
            if (origin.startsWith(prefix)) {
                return origin.substring(prefix.length()).matches("\\d{1,5}");
            }
            return origin.equals(entry.substring(0, entry.length() - 2)); // the default port
        }
        return origin.equals(entry);
    }

    @Override
    public String toString() {
        return "same origin, " + String.join(", ", allowed);
    }
}
