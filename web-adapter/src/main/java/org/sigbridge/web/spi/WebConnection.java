package org.sigbridge.web.spi;

import org.sigbridge.spi.Endpoint;
import org.sigbridge.web.session.FrameSink;
import org.sigbridge.web.session.OutboundQueue;
import org.sigbridge.web.session.SocketControl;

/**
 * One browser connection as the host sees it: a transport to write text frames to ({@link FrameSink}) and to close
 * ({@link SocketControl}), with the dialect that serves it and the hub endpoint it presents. It is deliberately not
 * "one WebSocket": the host's WebSocket transport is one implementation, and a dialect may implement it over a
 * session that spans several HTTP requests and later moves to a WebSocket (Engine.IO polling, then upgrade), as long
 * as the contract below holds for the connection as a whole.
 *
 * <p>Contract:
 * <ul>
 * <li><b>Threads.</b> Every method may be called from any thread and never blocks. Inbound frames reach the
 *     connection's {@link ConnectionHandler} one at a time (the reader asks for the next one only after the handler
 *     returned), so the handler's own state needs no lock on the reading side.</li>
 * <li><b>One write in flight.</b> {@link #send} is called by {@link #outbound()} only, never by dialect code, and
 *     never again before the previous call's completion ran. Dialects write by offering frames to {@link #outbound()},
 *     a bounded queue: on overflow the dialect closes the connection (1013, RFC 6455 §7.4.1).</li>
 * <li><b>Close.</b> {@link #close} starts closing and is idempotent; {@link #closeWith} first writes what the current
 *     event-loop turn produced (such as the error frame that says why). Once closed the handler's
 *     {@link ConnectionHandler#onClosed()} runs exactly once, the outbound queue answers
 *     {@link OutboundQueue.Offer#CLOSED}, and the connection leaves the host's
 *     {@link org.sigbridge.web.session.SessionRegistry}.</li>
 * </ul>
 */
public interface WebConnection extends FrameSink, SocketControl {

    /** The id of the hub endpoint this connection presents, unique in the adapter, e.g. {@code web-17}. */
    String id();

    /**
     * The dialect name this connection counts under now ({@code sigbridge_web_connections{dialect=…}}); a dialect
     * that recognises its clients from their first frame may report a provisional name until then.
     */
    String dialect();

    /** The hub endpoint the connection presents (its handler's). */
    Endpoint endpoint();

    /** The client's IP address as text, or {@code unknown}. */
    String remoteAddress();

    /** The connection's bounded outbound queue; its sink is this connection. */
    OutboundQueue outbound();

    /** Sends a keep-alive if the transport has one (WebSocket ping, RFC 6455 §5.5.2). The host's timer calls it. */
    default void ping() {
    }

    /**
     * Closes with an RFC 6455 §7.4 status code after writing the frames this loop turn produced; what still waits
     * behind a write in flight is dropped, and the envelopes it carried are reported to their senders
     * ({@link org.sigbridge.web.session.EnvelopeReceipt}). Any thread.
     */
    default void closeWith(int statusCode, String reason) {
        OutboundQueue queue = outbound();
        queue.writeHeld();
        queue.close("the socket was closed (" + statusCode + " " + reason + ") before this frame was written");
        close(statusCode, reason);
    }
}
