package org.sigbridge.sip.mapping;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.Optional;
import javax.sip.header.CSeqHeader;
import javax.sip.header.CallIdHeader;
import javax.sip.header.FromHeader;
import javax.sip.message.Request;

/**
 * The envelope id of a MESSAGE whose body names none ({@code text/plain}, or JSON that is no envelope object):
 * derived from what identifies the request itself, so that every copy of one request gets the same id.
 *
 * <p>A registrar that forks a MESSAGE to several bindings of an address of record (RFC 3261 §16.6) sends each
 * branch with the same Call-ID, CSeq and From tag and a new Via branch, and a request's Call-ID, CSeq and From tag
 * identify it (RFC 3261 §8.1.1.4, §8.1.1.5; a UA that sends several MESSAGEs in one Call-ID increments the CSeq,
 * RFC 3428 §7). On a cluster every instance that gets a branch then issues the same id for it, and the hub delivers
 * the envelope once per instance by channel and id (docs/cluster.md, "SIP announcements on a cluster"), where a
 * fresh id per instance reached every page once per instance. The channel is part of the digest, so one request
 * reaching two channels is two envelopes. Retransmissions never get here: the server transaction absorbs them.
 *
 * <p>The id is {@code sip-} and 20 base64url characters of a SHA-256 over those fields (120 bits): printable,
 * within {@link org.sigbridge.envelope.EnvelopeIds#isAcceptable}, and revealing nothing of the Call-ID. A request
 * without a From tag (RFC 2543 UAs) gets no derived id: the caller issues a fresh one.
 */
final class RequestEnvelopeIds {

    private static final Base64.Encoder ENCODER = Base64.getUrlEncoder().withoutPadding();
    private static final int DIGEST_BYTES = 15;

    private RequestEnvelopeIds() {
    }

    /** The id every copy of {@code request} on {@code channel} gets, or empty when the request lacks a From tag. */
    static Optional<String> of(Request request, String channel) {
        CallIdHeader callId = (CallIdHeader) request.getHeader(CallIdHeader.NAME);
        CSeqHeader cseq = (CSeqHeader) request.getHeader(CSeqHeader.NAME);
        FromHeader from = (FromHeader) request.getHeader(FromHeader.NAME);
        if (callId == null || cseq == null || from == null || from.getTag() == null || from.getTag().isEmpty()) {
            return Optional.empty();
        }
        String identity = String.join("\n", channel, callId.getCallId(), Long.toString(cseq.getSeqNumber()),
                cseq.getMethod(), from.getTag());
        byte[] digest = sha256().digest(identity.getBytes(StandardCharsets.UTF_8));
        byte[] head = new byte[DIGEST_BYTES];
        System.arraycopy(digest, 0, head, 0, DIGEST_BYTES);
        return Optional.of("sip-" + ENCODER.encodeToString(head));
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required of every Java platform", e);
        }
    }
}
