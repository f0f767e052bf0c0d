package org.sigbridge.web.identity;

import java.time.Clock;
import java.util.Optional;
import org.sigbridge.web.IdentitySettings;

/**
 * The adapter's identity rules as a dialect applies them to a new connection: in {@code client} mode every
 * connection gets a trusting {@link SenderGuard}; in {@code verified} mode a token presented at connect time is
 * checked at once, and a connection without one gets a guard that waits for it (docs/design.md §6.3). Immutable and
 * thread-safe; never blocks.
 */
public final class IdentityGate {

    private final TokenVerifier verifier;
    private final String tokenParam;
    private final Clock clock;

    private IdentityGate(TokenVerifier verifier, String tokenParam, Clock clock) {
        this.verifier = verifier;
        this.tokenParam = tokenParam;
        this.clock = clock;
    }

    /** The gate for {@code identity:} settings. */
    public static IdentityGate from(IdentitySettings settings, Clock clock) {
        TokenVerifier verifier = settings.verified() ? new TokenVerifier(settings.secret(), settings.maxTtl(), clock) : null;
        return new IdentityGate(verifier, settings.tokenParam(), clock);
    }

    /** True in {@code verified} mode. */
    public boolean verified() {
        return verifier != null;
    }

    /** The URL query parameter that carries a token ({@code identity.token-param}). */
    public String tokenParam() {
        return tokenParam;
    }

    /**
     * The guard for a new connection.
     *
     * @param token the token presented at connect time, or {@code null}
     * @return the guard, or the refusal of a presented token that is expired, forged or malformed
     */
    public Outcome admit(String token) {
        if (verifier == null) {
            return new Guarded(SenderGuard.trusting());
        }
        Identity identity = null;
        if (token != null) {
            TokenVerdict verdict = verifier.verify(token);
            if (verdict instanceof TokenVerdict.Refused refused) {
                return new Refused(refused.detail());
            }
            identity = ((TokenVerdict.Accepted) verdict).identity();
        }
        return new Guarded(SenderGuard.verified(verifier, clock, Optional.ofNullable(identity)));
    }

    /** What {@link #admit} found. */
    public sealed interface Outcome {
    }

    /** The connection may open with this guard. */
    public record Guarded(SenderGuard guard) implements Outcome {
    }

    /** The presented token was refused; {@code detail} says which check failed (never the secret). */
    public record Refused(String detail) implements Outcome {
    }
}
