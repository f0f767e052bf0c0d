package org.sigbridge.sip.it;

import gov.nist.javax.sip.SipStackImpl;
import gov.nist.javax.sip.address.AddressFactoryImpl;
import gov.nist.javax.sip.header.HeaderFactoryImpl;
import gov.nist.javax.sip.message.MessageFactoryImpl;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Properties;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import javax.sip.ClientTransaction;
import javax.sip.ListeningPoint;
import javax.sip.RequestEvent;
import javax.sip.ResponseEvent;
import javax.sip.SipProvider;
import javax.sip.address.SipURI;
import javax.sip.header.ViaHeader;
import javax.sip.message.Request;
import javax.sip.message.Response;
import org.sigbridge.jainsip.Slf4jServerLogger;
import org.sigbridge.jainsip.Slf4jStackLogger;
import org.sigbridge.testkit.peers.FreePorts;
import org.sigbridge.testkit.sip.NoOpSipListener;

/**
 * A second, in-process JAIN-SIP stack that sends requests of any shape straight to the bridge: any method,
 * any or no Content-Type, the same request twice (a retransmission). Not a server: it only collects the
 * responses it gets (unless told to {@link #answerRequests}). Closes its stack and scanner thread.
 */
final class RawSipClient extends NoOpSipListener implements AutoCloseable {

    final MessageFactoryImpl messages = new MessageFactoryImpl();
    final HeaderFactoryImpl headers = new HeaderFactoryImpl();
    final AddressFactoryImpl addresses = new AddressFactoryImpl();
    private final SipStackImpl stack;
    private final SipProvider provider;
    private final int port;
    private final Set<Thread> scanners;
    private final LinkedBlockingQueue<Response> responses = new LinkedBlockingQueue<>();
    private final LinkedBlockingQueue<Request> requests = new LinkedBlockingQueue<>();
    private volatile boolean answering;
    /** Call-IDs of the requests sent since the last {@link #forget}: only their responses are collected. */
    private final Set<String> callIds = java.util.concurrent.ConcurrentHashMap.newKeySet();

    RawSipClient() throws Exception {
        Set<Thread> before = scanners();
        port = FreePorts.tcpAndUdp();
        Properties p = new Properties();
        p.setProperty("javax.sip.STACK_NAME", "raw-client-" + UUID.randomUUID());
        p.setProperty("javax.sip.AUTOMATIC_DIALOG_SUPPORT", "off");
        p.setProperty("gov.nist.javax.sip.STACK_LOGGER", Slf4jStackLogger.class.getName());
        p.setProperty("gov.nist.javax.sip.SERVER_LOGGER", Slf4jServerLogger.class.getName());
        stack = new SipStackImpl(p);
        ListeningPoint udp = stack.createListeningPoint("127.0.0.1", port, "udp");
        ListeningPoint tcp = stack.createListeningPoint("127.0.0.1", port, "tcp");
        provider = stack.createSipProvider(udp);
        provider.addListeningPoint(tcp);
        provider.addSipListener(this);
        stack.start();
        Set<Thread> now = scanners();
        now.removeAll(before);
        scanners = now;
    }

    /** A MESSAGE to {@code requestUri} over {@code transport}; {@code contentType} may be null (no header). */
    Request message(String requestUri, String contentType, String body, String transport) throws Exception {
        Request r = request(Request.MESSAGE, requestUri, transport);
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        if (contentType != null) {
            String[] t = contentType.split("/", 2);
            r.setContent(bytes, headers.createContentTypeHeader(t[0], t[1]));
        } else if (bytes.length > 0) {
            r.setContent(bytes, headers.createContentTypeHeader("text", "plain"));
            r.removeHeader("Content-Type");
        }
        return r;
    }

    /** Any out-of-dialog request from {@code sip:tester@127.0.0.1:port}. */
    Request request(String method, String requestUri, String transport) throws Exception {
        SipURI uri = (SipURI) addresses.createURI(requestUri);
        uri.setTransportParam(transport);
        SipURI fromUri = addresses.createSipURI("tester", "127.0.0.1");
        ViaHeader via = headers.createViaHeader("127.0.0.1", port, transport, "z9hG4bK" + UUID.randomUUID().toString().replace("-", ""));
        via.setRPort();
        Request r = messages.createRequest(uri, method, provider.getNewCallId(), headers.createCSeqHeader(1L, method),
                headers.createFromHeader(addresses.createAddress("Tess Ter", fromUri), "t" + port),
                headers.createToHeader(addresses.createAddress(uri), null), List.of(via), headers.createMaxForwardsHeader(70));
        SipURI contact = addresses.createSipURI("tester", "127.0.0.1");
        contact.setPort(port);
        r.addHeader(headers.createContactHeader(addresses.createAddress(contact)));
        return r;
    }

    /**
     * Drops every response collected so far and ignores any later one to a request sent before this call (a
     * client shared by the tests of a class starts each test with this: a late response of the previous test's
     * bridge cannot be taken for one of this test's).
     */
    void forget() {
        callIds.clear();
        responses.clear();
        requests.clear();
    }

    /** Sends in a client transaction and waits for the final response. */
    Response send(Request request, Duration timeout) throws Exception {
        callIds.add(((javax.sip.header.CallIdHeader) request.getHeader(javax.sip.header.CallIdHeader.NAME)).getCallId());
        ClientTransaction ct = provider.getNewClientTransaction(request);
        ct.sendRequest();
        return awaitFinal(timeout);
    }

    /** Sends a request without a transaction; sending the same request again is a retransmission (same branch). */
    void sendStateless(Request request) throws Exception {
        callIds.add(((javax.sip.header.CallIdHeader) request.getHeader(javax.sip.header.CallIdHeader.NAME)).getCallId());
        provider.sendRequest((Request) request.clone());
    }

    /** The next final response, within {@code timeout}. */
    Response awaitFinal(Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            Response r = responses.poll(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
            if (r == null) {
                throw new AssertionError("no final response within " + timeout);
            }
            if (r.getStatusCode() >= 200) {
                return r;
            }
        }
    }

    /** Fails if another final response arrives within {@code quiet}. */
    void expectNoMoreResponses(Duration quiet) throws InterruptedException {
        Response r = responses.poll(quiet.toMillis(), TimeUnit.MILLISECONDS);
        if (r != null && r.getStatusCode() >= 200) {
            throw new AssertionError("unexpected response " + r.getStatusCode());
        }
    }

    @Override
    public void processResponse(ResponseEvent event) {
        Response r = event.getResponse();
        if (callIds.contains(((javax.sip.header.CallIdHeader) r.getHeader(javax.sip.header.CallIdHeader.NAME)).getCallId())) {
            responses.add(r);
        }
    }

    /**
     * From now on every request the client gets is answered 200 and kept in {@link #requests()} (a bridge that announces
     * its participants back, docs/design.md §5.7); before, requests are ignored.
     */
    void answerRequests() {
        answering = true;
    }

    /** The requests received since {@link #answerRequests} (and the last {@link #forget}), answered 200. */
    LinkedBlockingQueue<Request> requests() {
        return requests;
    }

    @Override
    public void processRequest(RequestEvent event) {
        if (!answering) {
            return; // not a server: ignore
        }
        try {
            provider.sendResponse(messages.createResponse(200, event.getRequest()));
            requests.add(event.getRequest());
        } catch (Exception e) {
            throw new IllegalStateException("cannot answer " + event.getRequest().getMethod() + ": " + e, e);
        }
    }

    @Override
    public void close() {
        stack.stop();
        scanners.forEach(Thread::interrupt);
    }

    private static Set<Thread> scanners() {
        return Thread.getAllStackTraces().keySet().stream().filter(t -> t.getName().equals("EventScannerThread"))
                .collect(Collectors.toCollection(HashSet::new));
    }
}
