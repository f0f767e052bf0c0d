package org.sigbridge.sip.session;

import javax.sip.DialogTerminatedEvent;
import javax.sip.IOExceptionEvent;
import javax.sip.RequestEvent;
import javax.sip.ResponseEvent;
import javax.sip.SipListener;
import javax.sip.TimeoutEvent;
import javax.sip.TransactionTerminatedEvent;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The stack's one {@link SipListener}: requests go to the {@link InboundHandler}, responses and client
 * timeouts to {@link ClientRequests}. Called on JAIN-SIP threads, possibly concurrently
 * ({@code REENTRANT_LISTENER}); everything it calls is thread-safe and non-blocking. The handlers are
 * set once, after the stack exists and before traffic can matter; until then requests are dropped
 * and the sender retransmits.
 */
public final class SipDispatcher implements SipListener {

    private static final Logger log = LoggerFactory.getLogger(SipDispatcher.class);

    private volatile InboundHandler inbound;
    private volatile ClientRequests requests;

    /** Wires the handlers; called once by the adapter's start. */
    public void bind(InboundHandler inbound, ClientRequests requests) {
        this.requests = requests;
        this.inbound = inbound;
    }

    @Override
    public void processRequest(RequestEvent event) {
        InboundHandler h = inbound;
        if (h != null) {
            h.handle(event);
        }
    }

    @Override
    public void processResponse(ResponseEvent event) {
        ClientRequests r = requests;
        if (r != null) {
            r.onResponse(event);
        }
    }

    @Override
    public void processTimeout(TimeoutEvent event) {
        ClientRequests r = requests;
        if (r != null && !event.isServerTransaction()) {
            r.onTimeout(event.getClientTransaction());
        }
    }

    @Override
    public void processIOException(IOExceptionEvent event) {
        log.debug("transport error towards {}:{}/{}", event.getHost(), event.getPort(), event.getTransport());
    }

    @Override
    public void processTransactionTerminated(TransactionTerminatedEvent event) {
        // nothing to clean up: outcomes are delivered once by ClientRequests
    }

    @Override
    public void processDialogTerminated(DialogTerminatedEvent event) {
        // no dialogs: MESSAGE is out of dialog (RFC 3428)
    }
}
