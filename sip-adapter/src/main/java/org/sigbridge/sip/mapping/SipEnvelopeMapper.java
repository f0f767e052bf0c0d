package org.sigbridge.sip.mapping;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.text.ParseException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Function;
import java.util.function.Supplier;
import javax.sip.InvalidArgumentException;
import javax.sip.address.Address;
import javax.sip.address.AddressFactory;
import javax.sip.address.SipURI;
import javax.sip.address.URI;
import javax.sip.header.ContentTypeHeader;
import javax.sip.header.FromHeader;
import javax.sip.header.HeaderFactory;
import javax.sip.header.ViaHeader;
import javax.sip.message.MessageFactory;
import javax.sip.message.Request;
import org.sigbridge.envelope.Envelope;
import org.sigbridge.envelope.EnvelopeIds;
import org.sigbridge.envelope.EnvelopeJson;
import org.sigbridge.envelope.InvalidJsonException;
import org.sigbridge.envelope.JsonObjectReader;
import org.sigbridge.envelope.JsonValue;
import org.sigbridge.envelope.Origin;

/**
 * SIP MESSAGE ⇄ envelope (docs/design.md §5, RFC 3428). Pure: no I/O, no state beyond its configuration;
 * thread-safe because JAIN-SIP's factories are.
 *
 * <p>Incoming: the channel is the Request-URI user part, unescaped; the sender is the From display
 * name or user part, and its member address as {@link SipSender} gives it; the message comes from the body by
 * Content-Type ({@code application/json}: an envelope object written by another bridge, or any JSON value;
 * {@code text/plain}: a string). An envelope object's {@code "to"} names the one local participant it is for
 * (addressed delivery). Outgoing: From {@code "<sender>" <sip:<escaped sender>@<domain>>}, the envelope JSON or the
 * message as text, and TCP when the request exceeds 1300 bytes (RFC 3261 §18.1.1).
 */
public final class SipEnvelopeMapper {

    /** The methods this bridge serves, for {@code Allow} (405, OPTIONS). */
    public static final String ALLOW = "MESSAGE, OPTIONS";
    /**
     * The body types this bridge reads, for {@code Accept} (415, OPTIONS): envelopes and text, and the RFC 4575
     * documents in which bridges announce their participants (docs/design.md §5.7).
     */
    public static final String ACCEPT = "application/json, text/plain, application/conference-info+xml";

    private final MessageFactory messages;
    private final HeaderFactory headers;
    private final AddressFactory addresses;
    private final LocalAddress local;
    private final int maxBodyBytes;

    /**
     * @param local        the bridge's domain and listening address
     * @param maxBodyBytes largest body accepted
     */
    public SipEnvelopeMapper(MessageFactory messages, HeaderFactory headers, AddressFactory addresses, LocalAddress local,
                             int maxBodyBytes) {
        this.messages = Objects.requireNonNull(messages, "messages");
        this.headers = Objects.requireNonNull(headers, "headers");
        this.addresses = Objects.requireNonNull(addresses, "addresses");
        this.local = Objects.requireNonNull(local, "local");
        this.maxBodyBytes = maxBodyBytes;
    }

    /**
     * The bridge's own addresses.
     *
     * @param domain the SIP domain of From URIs
     * @param host   the listening host; also counts as the domain for incoming Request-URIs
     * @param port   the UDP and TCP port
     */
    public record LocalAddress(String domain, String host, int port) {

        /** Whether a Request-URI host names this bridge (host names are case-insensitive, RFC 3261 §19.1.4). */
        public boolean isOurs(String uriHost) {
            return uriHost.equalsIgnoreCase(domain) || uriHost.equalsIgnoreCase(host);
        }
    }

    // --- incoming ----------------------------------------------------------------------------------

    /**
     * Maps an incoming MESSAGE.
     *
     * @param origin the adapter and channel link it enters through
     * @param ids    issues an envelope id when the body carries none and the request has no From tag to derive one
     *               from ({@link RequestEnvelopeIds}: every forked copy of a request gets the same id)
     * @return the envelope and its sender's member address, or the status to answer
     */
    public InboundMapping toEnvelope(Request request, Origin origin, EnvelopeIds ids, Instant now) {
        return toEnvelope(request, channel -> origin, ids, now);
    }

    /**
     * Maps an incoming MESSAGE, as {@link #toEnvelope(Request, Origin, EnvelopeIds, Instant)}, with the origin
     * chosen by channel (the channel link it enters through), so the Request-URI is read once.
     *
     * @param originOf the origin of an envelope on the given channel
     */
    public InboundMapping toEnvelope(Request request, Function<String, Origin> originOf, EnvelopeIds ids, Instant now) {
        Optional<String> channel = channelOf(request);
        if (channel.isEmpty()) {
            return new InboundMapping.Refused(404, "Not Found (no channel here)");
        }
        byte[] body = request.getRawContent();
        int length = body == null ? 0 : body.length;
        if (length > maxBodyBytes) {
            return new InboundMapping.Refused(413, "Request Entity Too Large (limit " + maxBodyBytes + " bytes)");
        }
        ContentTypeHeader type = (ContentTypeHeader) request.getHeader(ContentTypeHeader.NAME);
        if (type == null || !isSupported(type)) {
            return new InboundMapping.Refused(415, "Unsupported Media Type", Map.of("Accept", ACCEPT));
        }
        if (length == 0) {
            return new InboundMapping.Refused(400, "Bad Request (empty body)");
        }
        Optional<String> text = utf8(body);
        if (text.isEmpty()) {
            return new InboundMapping.Refused(400, "Bad Request (body is not UTF-8)");
        }
        FromHeader from = (FromHeader) request.getHeader(FromHeader.NAME);
        String senderName = SipSender.name(from);
        SipMember member = new SipMember(SipSender.memberUri(request, from), senderName, SipSender.aorOf(request, from));
        Origin origin = originOf.apply(channel.get());
        // A body without an envelope id gets the request's own (every forked copy the same), else a fresh one.
        Supplier<String> unnamed = () -> RequestEnvelopeIds.of(request, channel.get()).orElseGet(ids::next);
        if (type.getContentSubType().equalsIgnoreCase("plain")) {
            return new InboundMapping.Accepted(new Envelope(unnamed.get(), channel.get(), JsonValue.string(senderName),
                    JsonValue.string(text.get()), origin, now), member);
        }
        return fromJson(text.get(), channel.get(), senderName, member, origin, unnamed, now);
    }

    /**
     * Whether a request's body is an RFC 4575 conference information document ({@code application/conference-info+xml},
     * media types compared case-insensitively, RFC 2045 §5.1): another bridge's participants, never an envelope.
     */
    public static boolean isConferenceInfo(Request request) {
        ContentTypeHeader type = (ContentTypeHeader) request.getHeader(ContentTypeHeader.NAME);
        return type != null && ConferenceInfo.TYPE.equalsIgnoreCase(type.getContentType())
                && ConferenceInfo.SUB_TYPE.equalsIgnoreCase(type.getContentSubType());
    }

    /** The largest body accepted, {@code max-body-bytes}. */
    public int maxBodyBytes() {
        return maxBodyBytes;
    }

    /** The channel named by the Request-URI, if it is a SIP URI of ours with a valid user part. */
    public Optional<String> channelOf(Request request) {
        URI uri = request.getRequestURI();
        if (!(uri instanceof SipURI sip) || sip.getUser() == null || sip.getUser().isEmpty() || !local.isOurs(sip.getHost())) {
            return Optional.empty();
        }
        return SipUserPart.unescape(sip.getUser()).filter(c -> !c.isEmpty());
    }

    private InboundMapping fromJson(String text, String channel, String senderName, SipMember member, Origin origin,
                                    Supplier<String> unnamed, Instant now) {
        JsonValue value;
        try {
            // Most bodies are objects (envelopes from another bridge): read the fields in the one pass that also
            // validates the whole text, and parse again only for a valid body that is not an object.
            Map<String, JsonValue> fields = JsonObjectReader.readObject(text);
            JsonValue message = fields.get("message");
            JsonValue ch = fields.get("channel");
            if (message != null && ch != null && ch.isString()) {
                // An envelope written by another bridge (EnvelopeJson): keep its id and sender exactly.
                String envelopeId = EnvelopeIds.keepable(fields.get("id")).orElseGet(unnamed);
                JsonValue sender = fields.getOrDefault("sender", JsonValue.string(senderName));
                JsonValue to = fields.get("to");
                String recipient = to != null && to.isString() && !to.asText().isEmpty() ? to.asText() : null;
                return new InboundMapping.Accepted(new Envelope(envelopeId, channel, sender, message, origin, now, recipient), member);
            }
            // Valid JSON: only JSON whitespace (RFC 8259 §2) can surround the object, which strip() removes.
            String object = text.strip();
            value = object.startsWith("{") && object.endsWith("}") ? new JsonValue(object) : JsonValue.parse(text);
        } catch (JsonObjectReader.NotAnObjectException e) {
            try {
                value = JsonValue.parse(text);
            } catch (InvalidJsonException notJson) { // e.g. a body of whitespace only: not an object, and no value
                return new InboundMapping.Refused(400, "Bad Request (invalid JSON: " + oneLine(notJson.getMessage()) + ")");
            }
        } catch (InvalidJsonException e) {
            return new InboundMapping.Refused(400, "Bad Request (invalid JSON: " + oneLine(e.getMessage()) + ")");
        }
        return new InboundMapping.Accepted(new Envelope(unnamed.get(), channel, JsonValue.string(senderName), value, origin, now), member);
    }

    private static boolean isSupported(ContentTypeHeader type) {
        // Media types are case-insensitive (RFC 2045 §5.1).
        String t = type.getContentType();
        String sub = type.getContentSubType();
        boolean json = "application".equalsIgnoreCase(t) && "json".equalsIgnoreCase(sub);
        if (!json && !("text".equalsIgnoreCase(t) && "plain".equalsIgnoreCase(sub))) {
            return false;
        }
        String charset = type.getParameter("charset");
        return charset == null || charset.equalsIgnoreCase("utf-8") || charset.equalsIgnoreCase("us-ascii");
    }

    // --- outgoing ----------------------------------------------------------------------------------

    /**
     * An RFC 3428 MESSAGE carrying {@code envelope} to one member.
     *
     * @throws IllegalArgumentException if the member URI does not parse (prevented by route validation)
     */
    public Request toMessage(Envelope envelope, ContentKind content, OutboundAddress to) {
        String sender = envelope.sender().isNull() ? "anonymous" : envelope.senderText();
        return message(sender.isEmpty() ? "anonymous" : sender, envelope.channel(), content.type(), content.subType(),
                content == ContentKind.TEXT, bodyText(envelope, content).getBytes(StandardCharsets.UTF_8), to);
    }

    /**
     * An RFC 3428 MESSAGE carrying an RFC 4575 document that tells another bridge which participants this one has on
     * {@code channel} (docs/design.md §5.7): From {@code "<bridge>" <sip:<escaped bridge>@<domain>>}, the same Contact,
     * transport rules and Route as an envelope's MESSAGE.
     *
     * @throws IllegalArgumentException if the target URI does not parse
     */
    public Request toConferenceInfo(String bridge, String channel, byte[] body, OutboundAddress to) {
        return message(bridge, channel, ConferenceInfo.TYPE, ConferenceInfo.SUB_TYPE, false, body, to);
    }

    private Request message(String sender, String channel, String type, String subType, boolean utf8Charset, byte[] body,
                            OutboundAddress to) {
        SipURI target = parseSipUri(to.memberUri());
        String transport = target.isSecure() ? "tls" : to.transport() == TransportChoice.TCP ? "tcp" : "udp";
        Request request = build(sender, channel, type, subType, utf8Charset, to, target, transport, body);
        if (transport.equals("udp") && request.toString().getBytes(StandardCharsets.UTF_8).length > UDP_LIMIT_BYTES) {
            // RFC 3261 §18.1.1: larger than 1300 bytes with an unknown path MTU → TCP, never UDP.
            request = build(sender, channel, type, subType, utf8Charset, to, target, "tcp", body);
        }
        return request;
    }

    /** The transport a request built by {@link #toMessage} uses: its top Via's. */
    public static String transportOf(Request request) {
        return ((ViaHeader) request.getHeader(ViaHeader.NAME)).getTransport().toLowerCase(Locale.ROOT);
    }

    /** RFC 3261 §18.1.1's size limit for UDP when the path MTU is unknown. */
    public static final int UDP_LIMIT_BYTES = 1300;

    /**
     * The MESSAGE body: for {@code application/json} the envelope JSON, with {@code "to"} naming the recipient of an
     * addressed envelope (conf/reference/sip.md, "Addressed delivery"); for {@code text/plain} the message as text
     * (an addressed envelope goes to its member's URI only, so the recipient needs no words).
     */
    public static String bodyText(Envelope envelope, ContentKind content) {
        return content == ContentKind.JSON ? EnvelopeJson.write(envelope, true) : messageText(envelope);
    }

    /** The message as text for {@code text/plain}: a string's content, any other JSON value as written. */
    public static String messageText(Envelope envelope) {
        return envelope.message().asText();
    }

    private Request build(String sender, String channel, String type, String subType, boolean utf8Charset, OutboundAddress to,
                          SipURI target, String transport, byte[] body) {
        try {
            SipURI requestUri = (SipURI) target.clone();
            if (to.proxy().isEmpty() && !transport.equals("udp") && !target.isSecure()) {
                requestUri.setTransportParam(transport);
            }
            SipURI fromUri = addresses.createSipURI(SipUserPart.escape(sender), local.domain());
            Address fromAddress = addresses.createAddress(DisplayNames.quote(sender), fromUri);
            Address toAddress = addresses.createAddress(target);
            ViaHeader via = headers.createViaHeader(local.host(), local.port(), transport, to.branch());
            via.setRPort();
            List<ViaHeader> vias = new ArrayList<>(List.of(via));
            Request request = messages.createRequest(requestUri, Request.MESSAGE, headers.createCallIdHeader(to.callId()),
                    headers.createCSeqHeader(to.cseq(), Request.MESSAGE), headers.createFromHeader(fromAddress, to.fromTag()),
                    headers.createToHeader(toAddress, null), vias, headers.createMaxForwardsHeader(70),
                    headers.createContentTypeHeader(type, subType), body);
            if (utf8Charset) {
                ((ContentTypeHeader) request.getHeader(ContentTypeHeader.NAME)).setParameter("charset", "UTF-8");
            }
            if (to.proxy().isPresent()) {
                SipURI route = addresses.createSipURI(null, to.proxy().get().host());
                route.setPort(to.proxy().get().port());
                route.setLrParam();
                route.setTransportParam(transport);
                request.addHeader(headers.createRouteHeader(addresses.createAddress(route)));
            }
            SipURI contact = addresses.createSipURI(SipUserPart.escape(channel), local.host());
            contact.setPort(local.port());
            contact.setTransportParam(transport);
            request.addHeader(headers.createContactHeader(addresses.createAddress(contact)));
            return request;
        } catch (ParseException | InvalidArgumentException e) {
            throw new IllegalArgumentException("cannot build MESSAGE to " + to.memberUri() + ": " + e.getMessage(), e);
        }
    }

    /** Parses a {@code sip:} or {@code sips:} URI. */
    public SipURI parseSipUri(String text) {
        try {
            URI uri = addresses.createURI(text);
            if (uri instanceof SipURI sip) {
                return sip;
            }
        } catch (ParseException e) {
            throw new IllegalArgumentException("'" + text + "' is not a SIP URI: " + e.getMessage(), e);
        }
        throw new IllegalArgumentException("'" + text + "' is not a sip: or sips: URI");
    }

    private static Optional<String> utf8(byte[] body) {
        // The JDK's decoder replaces every malformed sequence with U+FFFD: without one in the result the body was
        // valid UTF-8, and this (intrinsified) decode is all it costs. Only a body with U+FFFD is checked strictly.
        String lenient = new String(body, StandardCharsets.UTF_8);
        if (lenient.indexOf('\uFFFD') < 0) {
            return Optional.of(lenient);
        }
        try {
            return Optional.of(StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(body)).toString());
        } catch (CharacterCodingException e) {
            return Optional.empty();
        }
    }

    private static String oneLine(String s) {
        return s == null ? "" : s.replaceAll("\\s+", " ");
    }
}
