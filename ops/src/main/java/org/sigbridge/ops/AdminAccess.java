package org.sigbridge.ops;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Optional;
import org.sigbridge.config.Secret;

/**
 * Who may use the admin API. With a token configured: any address presenting {@code Authorization: Bearer <token>}
 * (compared in constant time). Without one: loopback clients only. Pure and thread-safe.
 *
 * <p>Behind a reverse proxy on the same host every request comes from loopback: configure a token (or a separate
 * admin port the proxy does not forward) there. Without a token, a loopback request that carries {@code Forwarded} or
 * {@code X-Forwarded-For} (RFC 7239) came through such a proxy from elsewhere, and is refused 403.
 */
public final class AdminAccess {

    /** Why a request is refused: the HTTP status and one line. */
    public record Denial(int status, String detail) {
    }

    private final Optional<Secret> token;

    public AdminAccess(Optional<Secret> token) {
        this.token = token;
    }

    /**
     * @param remoteAddress the client's IP address as Jetty reports it
     * @param authorization the {@code Authorization} header, or {@code null}
     * @return empty when allowed
     */
    public Optional<Denial> check(String remoteAddress, String authorization) {
        return check(remoteAddress, authorization, false);
    }

    /**
     * @param remoteAddress the client's IP address as Jetty reports it
     * @param authorization the {@code Authorization} header, or {@code null}
     * @param forwarded     whether the request carries {@code Forwarded} or {@code X-Forwarded-For} (a proxy relayed it)
     * @return empty when allowed
     */
    public Optional<Denial> check(String remoteAddress, String authorization, boolean forwarded) {
        if (token.isPresent()) {
            String expected = "Bearer " + token.get().reveal();
            if (authorization == null) {
                return Optional.of(new Denial(401, "the admin API needs Authorization: Bearer <admin.token>"));
            }
            if (!MessageDigest.isEqual(expected.getBytes(StandardCharsets.UTF_8), authorization.trim().getBytes(StandardCharsets.UTF_8))) {
                return Optional.of(new Denial(401, "wrong admin token"));
            }
            return Optional.empty();
        }
        if (!isLoopback(remoteAddress)) {
            return Optional.of(new Denial(403, "the admin API answers loopback clients only; set admin.token to use it from "
                    + remoteAddress));
        }
        if (forwarded) {
            return Optional.of(new Denial(403, "the admin API answers loopback clients only, and this request was relayed by a proxy "
                    + "(Forwarded / X-Forwarded-For); set admin.token to use it through one"));
        }
        return Optional.empty();
    }

    public boolean tokenRequired() {
        return token.isPresent();
    }

    private static boolean isLoopback(String address) {
        if (address == null || address.isEmpty()) {
            return false;
        }
        try {
            // A literal IP never causes a DNS lookup.
            return InetAddress.getByName(address.startsWith("[") ? address.substring(1, address.length() - 1) : address).isLoopbackAddress();
        } catch (UnknownHostException e) {
            return false;
        }
    }
}
