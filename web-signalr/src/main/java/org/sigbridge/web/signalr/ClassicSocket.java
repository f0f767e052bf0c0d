package org.sigbridge.web.signalr;

import org.sigbridge.envelope.Envelope;
import org.sigbridge.spi.DeliveryResult;
import org.sigbridge.spi.Endpoint;
import org.sigbridge.spi.ErrorCode;
import org.sigbridge.web.session.EnvelopeReceipt;
import org.sigbridge.web.spi.ConnectionHandler;
import org.sigbridge.web.spi.WebConnection;

/**
 * The WebSockets transport of one classic SignalR connection ({@code {path}/connect} or {@code /reconnect} with
 * {@code transport=webSockets}): writes the init (or the missed messages), then carries hub invocations in and
 * responses and messages out (docs/signalr.md#classic). Handler calls come from the socket's reader, one at a time;
 * {@link #write} from any thread.
 */
final class ClassicSocket implements ConnectionHandler {

    /** The endpoint of a socket whose token is unknown: it takes nothing. */
    private record Nobody(String adapter, String id) implements Endpoint {
        @Override
        public DeliveryResult deliver(Envelope envelope) {
            return new DeliveryResult.Rejected(ErrorCode.NO_SUCH_RECIPIENT, "socket " + id + " carries no SignalR connection");
        }
    }

    private static final int NORMAL = 1000;

    private final WebConnection socket;
    private final ClassicServer server;
    private final ClassicConnection connection;
    private final String messageId;
    private final boolean reconnect;
    private final String refusal;
    private final FrameWriter out;

    ClassicSocket(WebConnection socket, ClassicServer server, ClassicConnection connection, String messageId, boolean reconnect,
                  String refusal) {
        this.socket = socket;
        this.server = server;
        this.connection = connection;
        this.messageId = messageId;
        this.reconnect = reconnect;
        this.refusal = refusal;
        this.out = new FrameWriter(socket, server.host().stats(), server.hub().clock(), server.hub().clock().millis());
    }

    @Override
    public String dialect() {
        return SignalRDialect.CLASSIC;
    }

    @Override
    public Endpoint endpoint() {
        return connection != null ? connection : new Nobody(server.host().adapter(), socket.id());
    }

    @Override
    public void onOpen() {
        if (connection == null) {
            // Answered in the protocol: a global error stops the client and says why.
            server.host().stats().countError(ErrorCode.NOT_PERMITTED);
            write(ClassicProtocol.globalError(refusal));
            socket.closeWith(NORMAL, "refused");
            return;
        }
        write(connection.attach(this, messageId, reconnect));
    }

    @Override
    public void onText(String text) {
        server.host().stats().countFrameIn();
        if (connection == null) {
            return;
        }
        String answer = server.invoke(connection, text);
        if (answer != null) {
            write(answer);
        }
    }

    /** Not part of the classic protocol: ignored, counted. */
    @Override
    public void onBinary() {
        server.host().stats().countBadFrame();
    }

    /** Writes one frame; false when the socket is closed or too slow (then closed with 1013). Any thread. */
    boolean write(String frame) {
        return out.write(frame);
    }

    /** {@link FrameWriter#write(String, EnvelopeReceipt)}: the envelope's sender is told if the frame is not written. */
    boolean write(String frame, EnvelopeReceipt receipt) {
        return out.write(frame, receipt);
    }

    /** {@link FrameWriter#writeReport}: a frame that reports a failure to the page, through the queue's reserve. */
    boolean writeReport(String frame) {
        return out.writeReport(frame);
    }

    /** Another socket took over the connection (a reconnect). */
    void replaced() {
        socket.closeWith(NORMAL, "replaced");
    }

    /** The connection ended. */
    void close() {
        socket.closeWith(NORMAL, "ended");
    }

    @Override
    public void onClosed() {
        if (connection != null) {
            connection.detach(this);
        }
    }
}
