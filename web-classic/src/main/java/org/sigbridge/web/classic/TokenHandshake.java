package org.sigbridge.web.classic;

import org.sigbridge.envelope.InvalidJsonException;
import org.sigbridge.envelope.JsonObjectReader;
import org.sigbridge.envelope.JsonValue;
import org.sigbridge.spi.ErrorCode;
import org.sigbridge.web.classic.frames.IdentityFrames;
import org.sigbridge.web.identity.SenderGuard;
import org.sigbridge.web.identity.TokenVerdict;
import org.sigbridge.web.session.CloseCodes;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Verified identity's first frame (docs/design.md §6.3): a connection without {@code ?token=} must send
 * {@code {"token":"…"}} before anything else. Pure logic over the connection's guard and output; reading thread.
 */
final class TokenHandshake {

    private static final Logger log = LoggerFactory.getLogger(TokenHandshake.class);

    private TokenHandshake() {
    }

    /**
     * Reads {@code text} as the token frame. Accepted: answers the identity frame. No token: answers an error frame
     * and waits for another. Refused: answers an error frame and closes with 1008.
     *
     * @return whether the token was accepted
     */
    static boolean accept(String connectionId, String text, SenderGuard guard, ClassicOutput out) {
        String token = null;
        try {
            JsonValue value = JsonObjectReader.readObject(text).get("token");
            token = value != null && value.isString() ? value.asText() : null;
        } catch (InvalidJsonException e) {
            // answered below like any frame without a token
        }
        if (token == null) {
            out.error(ErrorCode.NOT_PERMITTED, "identity is verified: send {\"token\":\"…\"} first, or connect with ?token=…", null);
            return false;
        }
        TokenVerdict verdict = guard.authenticate(token);
        if (verdict instanceof TokenVerdict.Refused refused) {
            log.info("{}: token refused: {}", connectionId, refused.detail());
            out.error(ErrorCode.NOT_PERMITTED, refused.detail(), null);
            out.closeWith(CloseCodes.POLICY_VIOLATION, "token refused");
            return false;
        }
        guard.identity().ifPresent(identity -> out.send(IdentityFrames.accepted(identity)));
        return true;
    }
}
