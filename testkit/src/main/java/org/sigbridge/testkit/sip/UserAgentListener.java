package org.sigbridge.testkit.sip;

import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

import javax.sip.ClientTransaction;
import javax.sip.DialogTerminatedEvent;
import javax.sip.IOExceptionEvent;
import javax.sip.RequestEvent;
import javax.sip.ResponseEvent;
import javax.sip.ServerTransaction;
import javax.sip.SipException;
import javax.sip.SipListener;
import javax.sip.SipProvider;
import javax.sip.TimeoutEvent;
import javax.sip.TransactionTerminatedEvent;
import javax.sip.header.ContentTypeHeader;
import javax.sip.header.ToHeader;
import javax.sip.header.ViaHeader;
import javax.sip.message.MessageFactory;
import javax.sip.message.Request;
import javax.sip.message.Response;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@link SipListener} of one {@link SipUserAgent}. Runs on JAIN-SIP's threads (possibly several at once,
 * REENTRANT_LISTENER): answers each incoming MESSAGE with the configured status, queues it without blocking
 * (503 when the queue is full), answers OPTIONS with 200 and other methods with 405, and completes the future
 * of a client transaction on its final response (408 on a transaction timeout).
 */
final class UserAgentListener implements SipListener {
    private static final Logger LOG = LoggerFactory.getLogger(UserAgentListener.class);

    private final String user;
    private final MessageFactory messages;
    private final BlockingQueue<ReceivedSipMessage> received;
    private final AtomicInteger answerStatus = new AtomicInteger(Response.OK);
    private final Map<ClientTransaction, CompletableFuture<Integer>> pending = new ConcurrentHashMap<>();
    private volatile SipProvider provider;

    UserAgentListener(String user, MessageFactory messages, BlockingQueue<ReceivedSipMessage> received) {
        this.user = user;
        this.messages = messages;
        this.received = received;
    }

    void attach(SipProvider sipProvider) {
        this.provider = sipProvider;
    }

    void answerMessagesWith(int status) {
        answerStatus.set(status);
    }

    /** Registers a transaction before its request is sent; the future completes with the final status. */
    CompletableFuture<Integer> expect(ClientTransaction transaction) {
        CompletableFuture<Integer> future = new CompletableFuture<>();
        pending.put(transaction, future);
        return future;
    }

    void forget(ClientTransaction transaction) {
        pending.remove(transaction);
    }

    @Override
    public void processRequest(RequestEvent event) {
        Request request = event.getRequest();
        String method = request.getMethod();
        if (Request.ACK.equals(method)) {
            return;
        }
        int status;
        if (Request.MESSAGE.equals(method)) {
            status = answerStatus.get();
            if (!received.offer(toReceived(request, status))) {
                status = Response.SERVICE_UNAVAILABLE;
                LOG.warn("{}: inbox full, answering 503 to MESSAGE {}", user, callId(request));
            }
        } else {
            status = Request.OPTIONS.equals(method) ? Response.OK : Response.METHOD_NOT_ALLOWED;
        }
        respond(event, status);
    }

    private void respond(RequestEvent event, int status) {
        try {
            ServerTransaction transaction = event.getServerTransaction();
            if (transaction == null) {
                transaction = provider.getNewServerTransaction(event.getRequest());
            }
            Response response = messages.createResponse(status, event.getRequest());
            ToHeader to = (ToHeader) response.getHeader(ToHeader.NAME);
            if (status >= 200 && to.getTag() == null) {
                to.setTag(user + "-" + Integer.toHexString(System.identityHashCode(transaction)));
            }
            transaction.sendResponse(response);
        } catch (javax.sip.TransactionAlreadyExistsException e) {
            LOG.debug("{}: retransmission of {} absorbed", user, callId(event.getRequest()));
        } catch (SipException | java.text.ParseException | javax.sip.InvalidArgumentException e) {
            LOG.warn("{}: cannot answer {} {}: {}", user, event.getRequest().getMethod(), callId(event.getRequest()),
                    e.toString());
        }
    }

    @Override
    public void processResponse(ResponseEvent event) {
        int status = event.getResponse().getStatusCode();
        ClientTransaction transaction = event.getClientTransaction();
        if (status >= 200 && transaction != null) {
            complete(transaction, status);
        }
    }

    @Override
    public void processTimeout(TimeoutEvent event) {
        if (!event.isServerTransaction()) {
            complete(event.getClientTransaction(), Response.REQUEST_TIMEOUT);
        }
    }

    @Override
    public void processIOException(IOExceptionEvent event) {
        LOG.warn("{}: I/O error towards {}:{}/{}", user, event.getHost(), event.getPort(), event.getTransport());
    }

    @Override
    public void processTransactionTerminated(TransactionTerminatedEvent event) {
        if (!event.isServerTransaction()) {
            // terminated without a final response (e.g. transport error): do not leave the sender waiting
            complete(event.getClientTransaction(), Response.REQUEST_TIMEOUT);
        }
    }

    @Override
    public void processDialogTerminated(DialogTerminatedEvent event) {
        // out-of-dialog requests only
    }

    private void complete(ClientTransaction transaction, int status) {
        CompletableFuture<Integer> future = pending.remove(transaction);
        if (future != null) {
            future.complete(status);
        }
    }

    private static ReceivedSipMessage toReceived(Request request, int answeredWith) {
        ContentTypeHeader type = (ContentTypeHeader) request.getHeader(ContentTypeHeader.NAME);
        ViaHeader via = (ViaHeader) request.getHeader(ViaHeader.NAME);
        byte[] raw = request.getRawContent();
        return new ReceivedSipMessage(
                ((javax.sip.header.FromHeader) request.getHeader("From")).getAddress().getURI().toString(),
                ((ToHeader) request.getHeader(ToHeader.NAME)).getAddress().getURI().toString(),
                callId(request),
                type == null ? "" : type.getContentType() + "/" + type.getContentSubType(),
                raw == null ? "" : new String(raw, StandardCharsets.UTF_8),
                via.getTransport().toUpperCase(java.util.Locale.ROOT),
                answeredWith,
                (Request) request.clone());
    }

    private static String callId(Request request) {
        return ((javax.sip.header.CallIdHeader) request.getHeader(javax.sip.header.CallIdHeader.NAME)).getCallId();
    }
}
