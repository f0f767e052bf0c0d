package org.sigbridge.testkit.sip;

import java.time.Duration;
import java.util.HashSet;
import java.util.Properties;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;

import javax.sip.ClientTransaction;
import javax.sip.ListeningPoint;
import javax.sip.SipException;
import javax.sip.SipFactory;
import javax.sip.SipProvider;
import javax.sip.SipStack;
import javax.sip.header.CallIdHeader;
import javax.sip.message.Request;

import org.sigbridge.jainsip.Slf4jServerLogger;
import org.sigbridge.jainsip.Slf4jStackLogger;
import org.sigbridge.jainsip.StackStop;
import org.sigbridge.testkit.peers.FreePorts;
import org.sigbridge.testkit.peers.PeerException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A SIP user agent {@code sip:USER@localhost} on its own JAIN-SIP stack, for tests against a real Kamailio
 * at 127.0.0.1:{@code proxyPort}. It listens on UDP and TCP on one probed 127.0.0.1 port (JAIN-SIP cannot
 * bind port 0), sends every request through a preloaded loose Route to the proxy on the transport the caller
 * chooses, answers incoming MESSAGEs with a configurable status (200 by default) and queues them (up to
 * {@value #INBOX_CAPACITY}; beyond that it answers 503).
 *
 * <p>Sending methods block the caller until the final response or the timeout; they may be called from
 * several threads. Received messages are queued by JAIN-SIP's threads. {@link #close()} stops the stack,
 * interrupts the non-daemon {@code EventScannerThread} JAIN-SIP leaves behind, and is idempotent.
 */
public final class SipUserAgent implements AutoCloseable {
    public static final int INBOX_CAPACITY = 1000;

    private static final Logger LOG = LoggerFactory.getLogger(SipUserAgent.class);
    private static final String SCANNER_THREAD = "EventScannerThread";
    private static final Duration SOCKET_WAIT = Duration.ofSeconds(5);
    /** Serializes stack creation so each agent can tell which scanner threads are its own. */
    private static final Object CREATION_LOCK = new Object();

    private final String user;
    private final int port;
    private final SipStack stack;
    private final SipProvider provider;
    private final SipRequests requests;
    private final UserAgentListener listener;
    private final BlockingQueue<ReceivedSipMessage> received = new LinkedBlockingQueue<>(INBOX_CAPACITY);
    private final Set<Thread> ownThreads;
    private final CallIdHeader registrationCallId;
    private final AtomicLong cseq = new AtomicLong();
    private boolean closed;
    private volatile StackStop.Outcome stopped;

    private SipUserAgent(String user, int proxyPort) throws Exception {
        this.user = user;
        this.port = FreePorts.tcpAndUdp();
        SipFactory factory = SipFactory.getInstance();
        factory.setPathName("gov.nist");
        synchronized (CREATION_LOCK) {
            Set<Thread> before = scannerThreads();
            // SipFactory caches stacks by name, and a stopped stack must never be handed out again: unique names.
            this.stack = factory.createSipStack(stackProperties(user));
            ListeningPoint udp = stack.createListeningPoint("127.0.0.1", port, SipTransport.UDP.token());
            ListeningPoint tcp = stack.createListeningPoint("127.0.0.1", port, SipTransport.TCP.token());
            this.provider = stack.createSipProvider(udp);
            provider.addListeningPoint(tcp);
            this.listener = new UserAgentListener(user, factory.createMessageFactory(), received);
            listener.attach(provider);
            provider.addSipListener(listener);
            stack.start();
            Set<Thread> after = scannerThreads();
            after.removeAll(before);
            this.ownThreads = after;
        }
        this.requests = new SipRequests(factory.createAddressFactory(), factory.createHeaderFactory(),
                factory.createMessageFactory(), provider, user, port, proxyPort);
        this.registrationCallId = provider.getNewCallId();
    }

    /** Starts a user agent for {@code sip:USER@localhost} that talks to the proxy at 127.0.0.1:proxyPort. */
    public static SipUserAgent start(String user, int proxyPort) {
        try {
            SipUserAgent agent = new SipUserAgent(user, proxyPort);
            LOG.info("SIP user agent {} listening on udp+tcp 127.0.0.1:{}", user, agent.port);
            return agent;
        } catch (Exception e) {
            throw new PeerException("cannot start SIP user agent " + user + ": " + e, e);
        }
    }

    /** REGISTERs {@code sip:USER@127.0.0.1:PORT;transport=T} for 300 s; returns the final status code. */
    public int register(SipTransport transport, Duration timeout) {
        return send(() -> requests.register(transport, registrationCallId, cseq.incrementAndGet(), 300), timeout);
    }

    /** Removes the binding (Expires: 0); returns the final status code. */
    public int unregister(SipTransport transport, Duration timeout) {
        return send(() -> requests.register(transport, registrationCallId, cseq.incrementAndGet(), 0), timeout);
    }

    /** Sends a {@code text/plain} MESSAGE to {@code sip:TO@localhost}; returns the final status code. */
    public int sendMessage(String toUser, String body, SipTransport transport, Duration timeout) {
        return sendMessage(toUser, "text/plain", body, transport, timeout);
    }

    /**
     * Sends a MESSAGE (RFC 3428) to {@code sip:TO@localhost} through the proxy and blocks until the final
     * response; returns its status code (408 if the transaction timed out inside JAIN-SIP).
     *
     * @throws PeerException if the request cannot be sent (e.g. "Message too long" for UDP over ~65 KB) or
     *                       no final response arrives within {@code timeout}
     */
    public int sendMessage(String toUser, String contentType, String body, SipTransport transport, Duration timeout) {
        return send(() -> requests.message(toUser, contentType, body, transport, cseq.incrementAndGet(), false), timeout);
    }

    /**
     * Sends a MESSAGE to {@code requestUri} (e.g. {@code sip:room@127.0.0.1:5070}, a bridge's contact, as a proxy's
     * dispatcher or a UA replying to a Contact would) through the proxy, which relays it; returns the final status code.
     */
    public int sendMessageToUri(String requestUri, String contentType, String body, SipTransport transport, Duration timeout) {
        return send(() -> requests.message(requestUri, contentType, body, transport, cseq.incrementAndGet()), timeout);
    }

    /**
     * {@link #sendMessageToUri} with the Contact header {@code contact} (any URI, e.g. {@code sips:ua@127.0.0.1:5061}:
     * where replies to this UA are to go); returns the final status code.
     */
    public int sendMessageToUri(String requestUri, String contentType, String body, SipTransport transport, String contact,
                                Duration timeout) {
        return send(() -> requests.message(requestUri, contentType, body, transport, cseq.incrementAndGet(), contact), timeout);
    }

    /**
     * {@link #sendMessage(String, String, String, SipTransport, Duration)} with a Contact header
     * {@code sip:USER@127.0.0.1:PORT;transport=T}, as Linphone, baresip and JsSIP put in their MESSAGEs.
     */
    public int sendMessageWithContact(String toUser, String contentType, String body, SipTransport transport, Duration timeout) {
        return send(() -> requests.message(toUser, contentType, body, transport, cseq.incrementAndGet(), true), timeout);
    }

    /** The queue incoming MESSAGEs land in, already answered. */
    public BlockingQueue<ReceivedSipMessage> received() {
        return received;
    }

    /**
     * Takes the next received MESSAGE, waiting up to {@code timeout}.
     *
     * @throws AssertionError if none arrives in time
     */
    public ReceivedSipMessage awaitMessage(Duration timeout) throws InterruptedException {
        ReceivedSipMessage message = received.poll(timeout.toMillis(), TimeUnit.MILLISECONDS);
        if (message == null) {
            throw new AssertionError(user + " received no MESSAGE within " + timeout);
        }
        return message;
    }

    /** Status code for answering later MESSAGEs (default 200), e.g. 486 or 503 to test failure paths. */
    public void answerMessagesWith(int statusCode) {
        if (statusCode < 200 || statusCode > 699) {
            throw new IllegalArgumentException("final status code expected: " + statusCode);
        }
        listener.answerMessagesWith(statusCode);
    }

    public String user() {
        return user;
    }

    /** The UDP and TCP port on 127.0.0.1. */
    public int port() {
        return port;
    }

    /** {@code sip:USER@localhost}. */
    public String aor() {
        return "sip:" + user + "@" + SipRequests.DOMAIN;
    }

    /**
     * Stops the stack and its leftover scanner thread; returns once both ports are free (its listening threads have
     * left their sockets: a few milliseconds, at most 5 s). Idempotent; keeps the caller's interrupt status.
     */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        provider.removeSipListener(listener);
        // Interrupts the EventScannerThread JAIN-SIP leaves blocked in take() after stop() (see package docs), and
        // returns once both ports are free, without JAIN-SIP's fixed second on stop.
        stopped = StackStop.stop(stack, ownThreads, SOCKET_WAIT);
        LOG.info("SIP user agent {} on port {} stopped", user, port);
    }

    private int send(RequestSupplier supplier, Duration timeout) {
        ClientTransaction transaction = null;
        try {
            Request request = supplier.get();
            transaction = provider.getNewClientTransaction(request);
            CompletableFuture<Integer> status = listener.expect(transaction);
            transaction.sendRequest();
            return status.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            throw new PeerException(user + ": no final response within " + timeout, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new PeerException(user + ": interrupted while waiting for a response", e);
        } catch (SipException | java.text.ParseException | javax.sip.InvalidArgumentException | ExecutionException e) {
            throw new PeerException(user + ": cannot send request: " + e.getMessage(), e);
        } finally {
            if (transaction != null) {
                listener.forget(transaction);
            }
        }
    }

    private static Properties stackProperties(String user) {
        Properties p = new Properties();
        p.setProperty("javax.sip.STACK_NAME", "sigbridge-test-ua-" + user + "-" + UUID.randomUUID());
        p.setProperty("javax.sip.AUTOMATIC_DIALOG_SUPPORT", "off");
        p.setProperty("gov.nist.javax.sip.STACK_LOGGER", Slf4jStackLogger.class.getName());
        p.setProperty("gov.nist.javax.sip.SERVER_LOGGER", Slf4jServerLogger.class.getName());
        p.setProperty("gov.nist.javax.sip.THREAD_POOL_SIZE", "4");
        p.setProperty("gov.nist.javax.sip.REENTRANT_LISTENER", "true");
        return p;
    }

    private static Set<Thread> scannerThreads() {
        Set<Thread> threads = new HashSet<>();
        for (Thread thread : Thread.getAllStackTraces().keySet()) {
            if (thread.getName().startsWith(SCANNER_THREAD)) {
                threads.add(thread);
            }
        }
        return threads;
    }

    @FunctionalInterface
    private interface RequestSupplier {
        Request get() throws java.text.ParseException, javax.sip.InvalidArgumentException, SipException;
    }

    /** How {@link #close()} ended (null before); for tests of it. */
    StackStop.Outcome stopOutcome() {
        return stopped;
    }

    /** The JAIN-SIP scanner threads this agent's stack created; for tests of {@link #close()}. */
    Set<Thread> ownScannerThreads() {
        return Set.copyOf(ownThreads);
    }
}
