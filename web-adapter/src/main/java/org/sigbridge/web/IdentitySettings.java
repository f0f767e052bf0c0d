package org.sigbridge.web;

import java.time.Duration;
import org.sigbridge.config.Check;
import org.sigbridge.config.Secret;

/**
 * The {@code identity:} subsection (docs/design.md §6.3): who a browser's {@code sender} is.
 *
 * @param mode       {@code client} (default, seed-compatible: the page's {@code sender} is trusted) or
 *                   {@code verified} (the bridge stamps the sender from an HMAC-SHA256 token)
 * @param secret     the HMAC key tokens are signed with, at least 32 characters; required when verified.
 *                   Write {@code ${SIGBRIDGE_TOKEN_SECRET}}, never the key itself
 * @param tokenParam the URL query parameter carrying the token; default {@code token}
 * @param maxTtl     the longest lifetime a token may have ({@code exp} minus now, and minus {@code iat} when
 *                   given); longer tokens are refused; default 24h
 */
public record IdentitySettings(String mode, Secret secret, String tokenParam, Duration maxTtl) {

    public static final IdentitySettings DEFAULTS = new IdentitySettings(null, null, null, null);

    public IdentitySettings {
        mode = mode == null ? "client" : mode;
        tokenParam = tokenParam == null ? "token" : tokenParam;
        maxTtl = maxTtl == null ? Duration.ofHours(24) : maxTtl;
        if (!mode.equals("client") && !mode.equals("verified")) {
            throw new IllegalArgumentException("identity.mode must be client or verified, not '" + mode + "'");
        }
        if (mode.equals("verified")) {
            if (secret == null) {
                throw new IllegalArgumentException("identity.mode verified needs identity.secret, e.g. ${SIGBRIDGE_TOKEN_SECRET}");
            }
            if (secret.reveal().length() < 32) {
                throw new IllegalArgumentException("identity.secret must be at least 32 characters; make one with: openssl rand -hex 32");
            }
        }
        if (!tokenParam.matches("[A-Za-z0-9_-]+")) {
            throw new IllegalArgumentException("identity.token-param must be letters, digits, '_' or '-'");
        }
        Check.positive("identity.max-ttl", maxTtl, "24h");
    }

    public boolean verified() {
        return mode.equals("verified");
    }
}
