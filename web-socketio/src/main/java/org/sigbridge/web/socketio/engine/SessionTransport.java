package org.sigbridge.web.socketio.engine;

import java.nio.ByteBuffer;
import java.util.List;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;
import org.sigbridge.web.WebStats;
import org.sigbridge.web.session.FrameSink;
import org.sigbridge.web.socketio.eio.codec.PayloadFraming;
import org.sigbridge.web.spi.WebConnection;

/**
 * What carries one {@link EioSession} now (docs/dialects.md §7.2, §7.3): HTTP long-polling, a WebSocket probing to
 * take over ({@code 2probe}/{@code 3probe}, then {@code 5}), or that WebSocket; with the GET a polling session holds
 * and the batch that waits for the next GET. It is the sink of the session's {@link
 * org.sigbridge.web.session.OutboundQueue} while polling can carry the session: a batch answers the held GET, waits
 * for the next one, or, once upgraded, goes to the WebSocket (one frame per packet).
 *
 * <p>Threads and lock: every method may be called from any thread (Jetty's request threads for {@link #poll}, the
 * probing socket's reader for {@link #probeStarted}/{@link #upgraded}/{@link #socketClosed}, the queue's writer for
 * {@link #send}, whoever closes the session for {@link #close}) and never blocks. The state, the WebSocket, the probe,
 * the held GET and the waiting batch are guarded by this object's monitor and change together; nothing is written (no
 * GET answered, no socket sent to or closed) while it is held. The session's inbound lock may be held by the caller of
 * {@link #state()} (the inbound path reads the state under it); no method here takes that lock, so the order is always
 * inbound lock, then this monitor.
 *
 * <p>Per packet: the queue calls {@link #send} itself (this object is its sink, not wrapped by the session), and a
 * batch is passed on as the queue handed it over; a {@link Pending} is made only when no GET is held.
 */
final class SessionTransport implements FrameSink {

    enum State { POLLING, PROBING, WEBSOCKET, CLOSED }

    /** Outcome of a GET on a known session. */
    enum PollOutcome { HELD_OR_ANSWERED, OVERLAP, WRONG_TRANSPORT }

    /** A batch the queue handed over while no GET was held. */
    private record Pending(List<ByteBuffer> frames, Completion done) {
    }

    /**
     * What the transport let go of when the session closed, to be ended outside the lock by {@link #end}.
     *
     * @param held      the GET that was held, or {@code null}
     * @param websocket the WebSocket that carried the session, or {@code null}
     * @param probe     the WebSocket that was probing, or {@code null}
     */
    record Detached(PollAnswer held, WebConnection websocket, WebConnection probe) {

        /** A held GET gets a CLOSE packet; the WebSocket and the probe close normally (1000, as the reference). */
        void end(PayloadFraming framing, String reason) {
            if (held != null) {
                held.answer(framing, "1");
            }
            if (websocket != null) {
                websocket.close(1000, reason);
            }
            if (probe != null) {
                probe.close(1000, reason);
            }
        }
    }

    private final String sid;
    private final PayloadFraming framing;
    private final WebStats stats;
    private final HostSlots slots;

    // guarded by this
    private State state;
    private WebConnection websocket;
    private WebConnection probe;
    private PollAnswer held;
    private Pending pending;

    /**
     * @param sid       the session id (for the error of a write after close)
     * @param framing   the session's polling framing
     * @param stats     the adapter's counters (frames out of a batch a GET answered)
     * @param slots     what the session holds in the host while polling; released on upgrade
     * @param websocket the WebSocket the session starts on, or {@code null} for polling
     */
    SessionTransport(String sid, PayloadFraming framing, WebStats stats, HostSlots slots, WebConnection websocket) {
        this.sid = sid;
        this.framing = framing;
        this.stats = stats;
        this.slots = slots;
        this.websocket = websocket;
        this.state = websocket == null ? State.POLLING : State.WEBSOCKET;
    }

    synchronized State state() {
        return state;
    }

    // ---- polling ------------------------------------------------------------------------------------------------

    /** A GET with this session's id: answered at once, or held until a batch waits. The caller answers errors. */
    PollOutcome poll(Response response, Callback callback) {
        PollAnswer get = new PollAnswer(response, callback);
        Pending toWrite;
        synchronized (this) {
            if (state == State.WEBSOCKET || state == State.CLOSED) {
                return PollOutcome.WRONG_TRANSPORT;
            }
            if (held != null) {
                return PollOutcome.OVERLAP;
            }
            if (state == State.PROBING) {
                toWrite = null;
            } else if (pending != null) {
                toWrite = pending;
                pending = null;
            } else {
                held = get;
                return PollOutcome.HELD_OR_ANSWERED;
            }
        }
        if (toWrite == null) {
            get.answer(framing, "6"); // pause for the upgrade
        } else {
            get.answer(framing, toWrite.frames(), toWrite.done(), stats);
        }
        return PollOutcome.HELD_OR_ANSWERED;
    }

    // ---- upgrade ------------------------------------------------------------------------------------------------

    /** A WebSocket sent {@code 2probe} for this polling session. False when no upgrade can start now. */
    boolean probeStarted(WebConnection socket) {
        PollAnswer toPause;
        synchronized (this) {
            if (state != State.POLLING) {
                return false;
            }
            state = State.PROBING;
            probe = socket;
            toPause = held;
            held = null;
        }
        if (toPause != null) {
            toPause.answer(framing, "6");
        }
        return true;
    }

    /**
     * The probing WebSocket sent {@code 5}: it carries the session from now on, the host slots are given back (the
     * socket is a host connection), a stale GET gets a noop and what waited is flushed to the socket.
     */
    boolean upgraded(WebConnection socket) {
        Pending flush;
        PollAnswer stale;
        synchronized (this) {
            if (state != State.PROBING || probe != socket) {
                return false;
            }
            state = State.WEBSOCKET;
            websocket = socket;
            probe = null;
            flush = pending;
            pending = null;
            stale = held;
            held = null;
        }
        slots.release();
        if (stale != null) {
            stale.answer(framing, "6");
        }
        if (flush != null) {
            socket.send(flush.frames(), flush.done());
        }
        return true;
    }

    /**
     * A WebSocket of this session closed: a failed probe resumes polling.
     *
     * @return true when it was the session's transport, so the session must close
     */
    boolean socketClosed(WebConnection socket) {
        synchronized (this) {
            if (probe == socket) {
                probe = null;
                state = state == State.PROBING ? State.POLLING : state;
                return false;
            }
            return websocket == socket;
        }
    }

    // ---- close --------------------------------------------------------------------------------------------------

    /**
     * Moves to {@link State#CLOSED}.
     *
     * @return what to end outside the lock ({@link Detached#end}), or {@code null} when already closed
     */
    Detached close() {
        synchronized (this) {
            if (state == State.CLOSED) {
                return null;
            }
            state = State.CLOSED;
            PollAnswer toClose = held;
            held = null;
            return new Detached(toClose, websocket, probe);
        }
    }

    // ---- FrameSink ----------------------------------------------------------------------------------------------

    /** The queue's write: to the WebSocket, to the held GET, or kept for the next GET; failed once closed. */
    @Override
    public void send(List<ByteBuffer> frames, Completion done) {
        WebConnection socket = null;
        PollAnswer target = null;
        synchronized (this) {
            switch (state) {
                case WEBSOCKET -> socket = websocket;
                case CLOSED -> {
                }
                default -> {
                    if (held != null && state == State.POLLING) {
                        target = held;
                        held = null;
                    } else {
                        pending = new Pending(frames, done);
                        return;
                    }
                }
            }
        }
        if (socket != null) {
            socket.send(frames, done);
        } else if (target != null) {
            target.answer(framing, frames, done, stats);
        } else {
            done.failed(new IllegalStateException("session " + sid + " is closed"));
        }
    }
}
