package org.sigbridge.sip.mapping;

import java.util.Objects;
import java.util.Optional;
import org.sigbridge.sip.SipSettings.HostPort;

/**
 * Where and in which conversation an outgoing MESSAGE goes.
 *
 * @param memberUri the member's URI: Request-URI and To
 * @param callId    the conversation's Call-ID, stable per (channel, member)
 * @param fromTag   the conversation's From tag
 * @param cseq      this request's CSeq number, increasing within the conversation
 * @param branch    the Via branch, starting with the RFC 3261 magic cookie {@code z9hG4bK}
 * @param proxy     the outbound proxy for a preloaded Route (RFC 3261 §8.1.2), if any
 * @param transport the route's transport choice
 */
public record OutboundAddress(String memberUri, String callId, String fromTag, long cseq, String branch,
                              Optional<HostPort> proxy, TransportChoice transport) {

    public OutboundAddress {
        Objects.requireNonNull(memberUri, "memberUri");
        Objects.requireNonNull(callId, "callId");
        Objects.requireNonNull(fromTag, "fromTag");
        Objects.requireNonNull(branch, "branch");
        Objects.requireNonNull(proxy, "proxy");
        Objects.requireNonNull(transport, "transport");
        if (!branch.startsWith("z9hG4bK")) {
            throw new IllegalArgumentException("branch must start with the magic cookie z9hG4bK (RFC 3261 §8.1.1.7)");
        }
    }
}
