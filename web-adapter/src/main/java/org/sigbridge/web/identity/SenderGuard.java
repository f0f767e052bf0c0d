package org.sigbridge.web.identity;

import java.time.Clock;
import java.util.Optional;
import org.sigbridge.envelope.JsonValue;

/**
 * One socket's identity rules. In {@code client} mode it trusts the page's {@code sender} and every channel
 * (seed-compatible). In {@code verified} mode the socket first needs a token (URL parameter or a
 * {@code {"token":…}} first frame); then every envelope is stamped with the token's sender, a different
 * {@code sender} in a frame is refused, channels outside the token's glob are refused, and an expired token
 * stops the socket.
 *
 * <p>Threads: {@link #authenticate} and the checks are called by the socket's one reading thread at a time;
 * the identity is published through a volatile field.
 */
public final class SenderGuard {

    /** The outcome of a check; {@code detail} is the error frame's text when refused. */
    public record Check(boolean allowed, String detail) {
        static final Check OK = new Check(true, "");

        static Check refused(String detail) {
            return new Check(false, detail);
        }
    }

    private final TokenVerifier verifier;
    private final Clock clock;
    private volatile Identity identity;

    private SenderGuard(TokenVerifier verifier, Clock clock) {
        this.verifier = verifier;
        this.clock = clock;
    }

    /**
     * Client mode has no state (no verifier, so no token is ever taken and {@link #identity} stays empty): one guard
     * serves every socket, instead of one each (docs/benchmarks.md, "Idle memory per WebSocket connection, session 14").
     */
    private static final SenderGuard TRUSTING = new SenderGuard(null, Clock.systemUTC());

    /** {@code client} mode: everything the page says is trusted. The same guard for every socket: it holds no state. */
    public static SenderGuard trusting() {
        return TRUSTING;
    }

    /** {@code verified} mode, with the URL's token already checked ({@code identity}) or not yet given (empty). */
    public static SenderGuard verified(TokenVerifier verifier, Clock clock, Optional<Identity> identity) {
        SenderGuard g = new SenderGuard(verifier, clock);
        g.identity = identity.orElse(null);
        return g;
    }

    public boolean isVerified() {
        return verifier != null;
    }

    /** Whether frames must wait for a {@code {"token":…}} frame. */
    public boolean awaitingToken() {
        return verifier != null && identity == null;
    }

    public Optional<Identity> identity() {
        return Optional.ofNullable(identity);
    }

    /** Checks a token from a first frame and, if accepted, takes its identity. Verified mode only. */
    public TokenVerdict authenticate(String token) {
        if (verifier == null) {
            throw new IllegalStateException("client mode takes no token"); // and its one shared guard keeps no identity
        }
        TokenVerdict verdict = verifier.verify(token);
        if (verdict instanceof TokenVerdict.Accepted accepted) {
            identity = accepted.identity();
        }
        return verdict;
    }

    /** Whether the token is still valid now; always true in client mode. */
    public Check current() {
        Identity id = identity;
        if (verifier == null || id == null) {
            return Check.OK;
        }
        return id.expiredAt(clock.instant()) ? Check.refused("token expired at " + id.expiresAt() + "; reconnect with a fresh one") : Check.OK;
    }

    /** Whether this socket may join, publish to or ask about {@code channel}. */
    public Check channel(String channel) {
        Identity id = identity;
        if (verifier == null || id == null || id.allows(channel)) {
            return Check.OK;
        }
        return Check.refused("the token of '" + id.sender() + "' allows channels '" + id.scope() + "', not '" + channel + "'");
    }

    /** Whether a frame may claim {@code claimed} as its sender: in verified mode only the token's, or none. */
    public Check sender(JsonValue claimed) {
        Identity id = identity;
        if (verifier == null || id == null || claimed.isNull()
                || (claimed.isString() && claimed.asText().equals(id.sender())) || claimed.json().equals(id.sender())) {
            return Check.OK;
        }
        return Check.refused("sender " + claimed.json() + " is not the token's sender '" + id.sender() + "'");
    }

    /**
     * The sender to put on an envelope: the page's own in client mode, the token's in verified mode (so a frame
     * without a sender, as the channels dialect sends, is stamped too). Check {@link #sender} first.
     */
    public JsonValue stamp(JsonValue claimed) {
        Identity id = identity;
        return verifier == null || id == null ? claimed : JsonValue.string(id.sender());
    }
}
