package org.sigbridge.web.socketio.sio;

import java.util.Map;
import java.util.Objects;
import org.sigbridge.web.socketio.engine.HandshakeQuery;
import org.sigbridge.envelope.InvalidJsonException;
import org.sigbridge.envelope.JsonObjectReader;
import org.sigbridge.envelope.JsonValue;
import org.sigbridge.spi.ErrorCode;
import org.sigbridge.web.UpgradeRefusal;
import org.sigbridge.web.WebStats;
import org.sigbridge.web.identity.IdentityGate;
import org.sigbridge.web.identity.SenderGuard;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Verified identity on socket.io (docs/socketio.md, "Verified identity"; the token rules are the web adapter's,
 * conf/reference/web.md "Verified identity tokens"): in {@code identity.mode: verified} every namespace socket (every
 * Socket.IO 0.9 session) must present a token, in its CONNECT payload ({@code 40{"token":…}}, socket.io-client 3/4's
 * {@code auth}) or in the handshake query ({@code ?token=…}, every revision), and the token's {@code sub} is the socket's
 * sender. In {@code client} mode everything is admitted with a trusting guard. Refusals are counted as the other
 * dialects count them: {@code sigbridge_web_upgrades_refused_total{reason="token"}} and
 * {@code sigbridge_web_errors_total{code="not_permitted"}}. Immutable and thread-safe; never blocks.
 */
public final class SocketIdentity {

    private static final Logger log = LoggerFactory.getLogger(SocketIdentity.class);

    private final IdentityGate gate;
    private final WebStats stats;

    public SocketIdentity(IdentityGate gate, WebStats stats) {
        this.gate = Objects.requireNonNull(gate, "gate");
        this.stats = Objects.requireNonNull(stats, "stats");
    }

    /** True in {@code identity.mode: verified}. */
    public boolean verified() {
        return gate.verified();
    }

    /**
     * The token a connect presents: the {@code token} string of the CONNECT payload when it has one (protocol v5's
     * {@code auth}), else the handshake query's {@code identity.token-param}; {@code null} when neither has one.
     */
    public String token(JsonValue connectPayload, HandshakeQuery handshakeQuery) {
        if (connectPayload != null) {
            try {
                Map<String, JsonValue> auth = JsonObjectReader.readObject(connectPayload.json());
                JsonValue token = auth.get("token");
                if (token != null && token.isString()) {
                    return token.asText();
                }
            } catch (InvalidJsonException notAnObject) {
                // no auth object: the query may still carry the token
            }
        }
        String fromQuery = handshakeQuery.getValue(gate.tokenParam());
        return fromQuery == null || fromQuery.isEmpty() ? null : fromQuery;
    }

    /**
     * Admits a socket presenting {@code token} (may be {@code null}). In {@code client} mode always a trusting guard;
     * in {@code verified} mode a guard holding the token's identity, or the refusal of a missing, expired, forged,
     * malformed or out-of-limits token. A refusal is not counted here: see {@link #countRefused}.
     */
    public Admission admit(String token) {
        if (!gate.verified()) {
            return new Admitted(SenderGuard.trusting());
        }
        if (token == null) {
            return new Refused("identity is verified: connect with auth {token: …} or ?" + gate.tokenParam() + "=…");
        }
        IdentityGate.Outcome outcome = gate.admit(token);
        if (outcome instanceof IdentityGate.Refused refused) {
            return new Refused(refused.detail());
        }
        return new Admitted(((IdentityGate.Guarded) outcome).guard());
    }

    /** Counts and logs a socket refused for its token ({@code who}: the session and namespace, for the log). */
    public void countRefused(String who, String detail) {
        stats.countConnectionRefused(UpgradeRefusal.TOKEN);
        stats.countError(ErrorCode.NOT_PERMITTED);
        log.info("{}: socket.io connect refused (identity.mode: verified): {}", who, detail);
    }

    /** Counts and logs a verified socket refused for what it asked (a channel or a userid outside its token). */
    public void countOutOfScope(String who, String detail) {
        stats.countError(ErrorCode.NOT_PERMITTED);
        log.info("{}: socket.io connect refused (identity.mode: verified): {}", who, detail);
    }

    /** What {@link #admit} found. */
    public sealed interface Admission {
    }

    /** The socket may connect with this guard. */
    public record Admitted(SenderGuard guard) implements Admission {
        public Admitted {
            Objects.requireNonNull(guard, "guard");
        }
    }

    /** The token is missing or refused; {@code detail} is the CONNECT_ERROR's message (never the secret). */
    public record Refused(String detail) implements Admission {
        public Refused {
            Objects.requireNonNull(detail, "detail");
        }
    }
}
