package org.sigbridge.web.socketio.sio;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.sigbridge.web.socketio.engine.HandshakeQuery;
import org.sigbridge.envelope.JsonValue;
import org.sigbridge.web.identity.SenderGuard;
import org.sigbridge.web.session.CloseCodes;
import org.sigbridge.web.session.EnvelopeReceipt;
import org.sigbridge.web.session.OutboundQueue;
import org.sigbridge.web.socketio.sio.codec.SioCodec;
import org.sigbridge.web.socketio.sio.codec.SioPacket;
import org.sigbridge.web.spi.WebConnection;

/**
 * One Socket.IO socket: a namespace joined over one Engine.IO session, as a family sees it. Emitting only formats
 * and enqueues; any thread; never blocks.
 *
 * @param id         the socket id sent in the CONNECT answer
 * @param namespace  e.g. {@code /} or {@code /room1}
 * @param endpointId the hub endpoint id: the session's connection id, plus the namespace unless it is {@code /}
 * @param query      the handshake query (e.g. {@code channel}, {@code userid})
 * @param auth       the CONNECT payload ({@code 40{auth}}), or {@code null}
 * @param session    the Engine.IO session (its outbound queue)
 * @param guard      the socket's identity rules: trusting in {@code identity.mode: client}; in {@code verified} mode
 *                   it holds the identity the token of its CONNECT (or handshake) vouched for (docs/socketio.md,
 *                   "Verified identity")
 */
public record SioSocket(String id, String namespace, String endpointId, HandshakeQuery query, JsonValue auth, WebConnection session,
                        SenderGuard guard) {

    /** A socket of {@code identity.mode: client}: its page's word is trusted. */
    public SioSocket(String id, String namespace, String endpointId, HandshakeQuery query, JsonValue auth, WebConnection session) {
        this(id, namespace, endpointId, query, auth, session, SenderGuard.trusting());
    }

    /** The sender the token vouches for, when identity is verified; empty in {@code client} mode. */
    public java.util.Optional<String> verifiedSender() {
        return guard.identity().map(org.sigbridge.web.identity.Identity::sender);
    }

    /**
     * Emits an event; false when the session's queue refused it (closed, or full: the session then closes as a slow
     * consumer).
     */
    public boolean emit(String event, List<JsonValue> args) {
        return write(SioPacket.event(namespace, -1, event, args));
    }

    /**
     * Emits an event that carries an envelope: as {@link #emit(String, List)}, and if the packet is not queued, or is
     * dropped unwritten later (a slow consumer's close, a session gone), the envelope's sender is told by id
     * ({@link EnvelopeReceipt}, docs/design.md §2.4).
     */
    public boolean emit(String event, List<JsonValue> args, EnvelopeReceipt receipt) {
        return write(SioPacket.event(namespace, -1, event, args), receipt);
    }

    /**
     * Writes a frame made by {@link #eventFrame} for this socket's namespace, with the envelope's receipt as
     * {@link #emit(String, List, EnvelopeReceipt)}: how a family sends one envelope to many sockets with one encoding.
     * {@code frame} is shared, never written to.
     */
    public boolean emitFrame(byte[] frame, EnvelopeReceipt receipt) {
        return write(ByteBuffer.wrap(frame), receipt);
    }

    /**
     * The UTF-8 Engine.IO MESSAGE that carries EVENT {@code event} with {@code args} in {@code namespace}: the bytes
     * {@link #emit} writes (text {@code 42["event",args…]}, or {@code 42/ns,[…]}), made without a string in between.
     * The same for every socket of the namespace, whatever its Engine.IO revision or transport.
     */
    public static byte[] eventFrame(String namespace, String event, List<JsonValue> args) {
        // Each argument's UTF-8 once, then the frame: two copies of the payload (not a builder, its string and the
        // string's bytes: docs/benchmarks.md, "socket.io 4", round 3).
        byte[] head = ("4" + SioPacket.Type.EVENT.wire() + (namespace.equals("/") ? "" : namespace + ",") + "["
                + JsonValue.string(event).json()).getBytes(StandardCharsets.UTF_8);
        byte[][] parts = new byte[args.size()][];
        int size = head.length + 1;
        for (int i = 0; i < parts.length; i++) {
            parts[i] = args.get(i).json().getBytes(StandardCharsets.UTF_8);
            size += 1 + parts[i].length;
        }
        byte[] frame = new byte[size];
        System.arraycopy(head, 0, frame, 0, head.length);
        int at = head.length;
        for (byte[] part : parts) {
            frame[at++] = ',';
            System.arraycopy(part, 0, frame, at, part.length);
            at += part.length;
        }
        frame[at] = ']';
        return frame;
    }

    /** Answers an ack request of the client. */
    public boolean ack(long ackId, List<JsonValue> args) {
        return write(SioPacket.ack(namespace, ackId, args));
    }

    /**
     * Emits an event that reports a failure to this socket's client (an {@code error} naming an envelope id), through
     * the queue's reserve ({@link OutboundQueue#offerReport}): when a slow consumer is closed, every envelope that waited
     * for it is reported to its sender at once, and a sender that keeps up must not be closed by that burst
     * (docs/reliability.md, "browser stall"). Still bounded: beyond the reserve the session closes as a slow consumer.
     * Any thread; never blocks.
     */
    public boolean report(String event, List<JsonValue> args) {
        return writeReport(SioPacket.event(namespace, -1, event, args));
    }

    /** Answers an ack request with a failure report ({@code [error]}), through the reserve as {@link #report}. */
    public boolean reportAck(long ackId, List<JsonValue> args) {
        return writeReport(SioPacket.ack(namespace, ackId, args));
    }

    private boolean writeReport(SioPacket packet) {
        OutboundQueue.Offer offer = session.outbound().offerReport(
                ByteBuffer.wrap(("4" + SioCodec.encode(packet)).getBytes(StandardCharsets.UTF_8)));
        if (offer == OutboundQueue.Offer.OVERFLOW) {
            session.close(CloseCodes.TRY_AGAIN_LATER, "slow consumer"); // WebConnection's contract: overflow closes
        }
        return offer == OutboundQueue.Offer.ACCEPTED;
    }

    /** Writes one Socket.IO packet in an Engine.IO MESSAGE. */
    boolean write(SioPacket packet) {
        return write(packet, null);
    }

    private boolean write(SioPacket packet, EnvelopeReceipt receipt) {
        return write(ByteBuffer.wrap(("4" + SioCodec.encode(packet)).getBytes(StandardCharsets.UTF_8)), receipt);
    }

    private boolean write(ByteBuffer frame, EnvelopeReceipt receipt) {
        OutboundQueue.Offer offer = session.outbound().offer(frame, receipt);
        if (offer == OutboundQueue.Offer.OVERFLOW) {
            session.close(CloseCodes.TRY_AGAIN_LATER, "slow consumer"); // WebConnection's contract: overflow closes
        }
        if (offer != OutboundQueue.Offer.ACCEPTED && receipt != null) {
            receipt.notWritten(offer == OutboundQueue.Offer.OVERFLOW ? "a slow consumer; the session was closed" : "the session is closing");
        }
        return offer == OutboundQueue.Offer.ACCEPTED;
    }
}
