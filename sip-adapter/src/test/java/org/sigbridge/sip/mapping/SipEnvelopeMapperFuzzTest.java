package org.sigbridge.sip.mapping;

import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import gov.nist.javax.sip.address.AddressFactoryImpl;
import gov.nist.javax.sip.header.HeaderFactoryImpl;
import gov.nist.javax.sip.message.MessageFactoryImpl;
import gov.nist.javax.sip.message.SIPRequest;
import java.nio.charset.StandardCharsets;
import java.text.ParseException;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import javax.sip.message.Request;
import org.junit.jupiter.api.Test;
import org.sigbridge.envelope.EnvelopeIds;
import org.sigbridge.envelope.Origin;
import org.sigbridge.testing.fuzz.Bounded;
import org.sigbridge.testing.fuzz.FuzzRun;
import org.sigbridge.testing.fuzz.FuzzText;

/**
 * Fuzzes the SIP → envelope mapping (docs/design.md §5.5) with MESSAGE requests as JAIN-SIP parses them off the
 * wire: random Request-URI user parts (escaped, raw, overlong), From headers, Content-Types and bodies (envelope
 * JSON over the body's keys, mutations of it, text, arbitrary bytes, invalid UTF-8). Every request JAIN-SIP accepts
 * maps to an envelope or to a 4xx answer among those of docs/design.md §5.5, never an exception, within
 * {@link Bounded#PER_INPUT}. Requests JAIN-SIP itself refuses to parse are the stack's to answer and are skipped. Requests
 * are accepted and answered with each of 400, 404, 413 and 415 in the run.
 */
class SipEnvelopeMapperFuzzTest {

    private static final Set<Integer> ANSWERS = Set.of(400, 403, 404, 413, 415);
    private static final List<String> BODY_KEYS = List.of("id", "sender", "channel", "message", "to", "type", "sdp",
            "candidate");

    private final MessageFactoryImpl messages = new MessageFactoryImpl();
    private final HeaderFactoryImpl headers = new HeaderFactoryImpl();
    private final SipEnvelopeMapper mapper = new SipEnvelopeMapper(messages, headers, new AddressFactoryImpl(),
            new SipEnvelopeMapper.LocalAddress("example.org", "127.0.0.1", 5070), 2000);
    private final Origin origin = new Origin("sip", "sip:sip:1");
    private final EnvelopeIds ids = new EnvelopeIds();

    @Test
    void everyMessageMapsToAnEnvelopeOrA4xx() {
        FuzzRun.Tally tally = FuzzRun.run("SipEnvelopeMapperFuzzTest", 10_000, this::oneMessage);
        for (String outcome : List.of("accepted", "answered 400", "answered 404", "answered 413", "answered 415")) {
            assertTrue(tally.count(outcome) > 0, outcome + " never occurred: " + tally);
        }
    }

    private String oneMessage(long seed) {
        FuzzText g = new FuzzText(seed);
        String user = switch (g.below(4)) {
            case 0 -> g.pick("room1", "r%20oom", "%E2%82%AC", "%zz", "%", "a%00b", "");
            case 1 -> SipUserPart.escape(g.anyString(40));
            case 2 -> g.mutate(SipUserPart.escape(g.anyString(20)));
            default -> g.anyString(20).replaceAll("[\\s@<>\";:?]", "");
        };
        String host = g.pick("example.org", "127.0.0.1:5070", "EXAMPLE.ORG", "other.org");
        String uri = "sip:" + (user.isEmpty() ? "" : user + "@") + host;
        String from = g.pick("\"Alice\" <sip:alice@example.org>", "<sip:b%C3%B6b@example.org>", "sip:x@h",
                "\"" + g.anyString(12).replaceAll("[\"\\\\\\r\\n]", "") + "\" <sip:" + SipUserPart.escape(g.anyString(8)) + "@h>",
                "<tel:+1234>", "<sips:a@h>");
        String contentType = g.pick("application/json", "text/plain", "text/plain;charset=UTF-8", "text/plain;charset=latin1",
                "application/json;charset=utf-8", "application/sdp", "text/html", "application/JSON", null);
        byte[] body = switch (g.below(5)) {
            case 0 -> g.jsonObject(BODY_KEYS, 3).getBytes(StandardCharsets.UTF_8);
            case 1 -> g.mutate(g.jsonObject(BODY_KEYS, 3)).getBytes(StandardCharsets.UTF_8);
            case 2 -> g.anyString(100).getBytes(StandardCharsets.UTF_8);
            case 3 -> g.bytes(120);
            default -> ("x".repeat(g.below(3000))).getBytes(StandardCharsets.UTF_8);
        };
        String head = "MESSAGE " + uri + " SIP/2.0\r\n"
                + "Via: SIP/2.0/UDP 127.0.0.1:5062;branch=z9hG4bK" + Long.toHexString(seed) + "\r\n"
                + "From: " + from + ";tag=1\r\nTo: <" + uri + ">\r\nCall-ID: c" + seed + "@h\r\nCSeq: 1 MESSAGE\r\n"
                + "Max-Forwards: 70\r\n" + (contentType == null ? "" : "Content-Type: " + contentType + "\r\n")
                + "Content-Length: 0\r\n\r\n";
        Request request;
        try {
            request = messages.createRequest(head);
            ((SIPRequest) request).setMessageContent(body); // as the stream reader hands over the body it read
            request.setContentLength(headers.createContentLengthHeader(body.length));
        } catch (ParseException | javax.sip.InvalidArgumentException | RuntimeException e) {
            return "refused by JAIN-SIP's parser"; // JAIN-SIP's parser refuses it: the stack answers 400 or drops it before our code runs
        }
        String shown = head.replace("Content-Length: 0", "Content-Length: " + body.length) + new String(body, StandardCharsets.ISO_8859_1);
        InboundMapping mapping = Bounded.call(shown, () -> mapper.toEnvelope(request, origin, ids, Instant.EPOCH));
        assertNotNull(mapping, shown);
        if (mapping instanceof InboundMapping.Refused refused) {
            assertTrue(ANSWERS.contains(refused.status()), refused.status() + " " + refused.reason() + " for:\n" + shown);
            assertTrue(!refused.reason().isBlank(), shown);
            return "answered " + refused.status();
        }
        InboundMapping.Accepted accepted = (InboundMapping.Accepted) mapping;
        assertNotNull(accepted.envelope(), shown);
        assertTrue(body.length <= 2000, "accepted a body above max-body-bytes:\n" + shown);
        return "accepted";
    }
}
