package org.sigbridge.sip.stack;

import gov.nist.javax.sip.SipStackExt;
import gov.nist.javax.sip.SipStackImpl;
import gov.nist.javax.sip.address.AddressFactoryImpl;
import gov.nist.javax.sip.clientauthutils.AccountManager;
import gov.nist.javax.sip.clientauthutils.AuthenticationHelper;
import gov.nist.javax.sip.header.HeaderFactoryImpl;
import gov.nist.javax.sip.message.MessageFactoryImpl;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Collectors;
import javax.sip.ListeningPoint;
import javax.sip.ObjectInUseException;
import javax.sip.SipException;
import javax.sip.SipListener;
import javax.sip.SipProvider;
import javax.sip.address.AddressFactory;
import javax.sip.header.HeaderFactory;
import javax.sip.message.MessageFactory;
import org.sigbridge.jainsip.Slf4jServerLogger;
import org.sigbridge.jainsip.Slf4jStackLogger;
import org.sigbridge.jainsip.StackStop;
import org.sigbridge.sip.SipSettings;
import org.sigbridge.sip.TlsSettings;
import org.sigbridge.spi.AdapterStartException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One JAIN-SIP RI stack with its listening points and its single provider.
 *
 * <p>Created and closed by the adapter's start/close thread. The stack is built directly, not through
 * {@code SipFactory}, whose by-name cache would hand a stopped stack back; its name is unique anyway.
 * The blocking TCP message processor is kept: the NIO one loses the first request on a new connection
 * (docs/library-assumptions.md#jain-sip). After {@code stop()} JAIN-SIP leaves its non-daemon {@code EventScannerThread}
 * blocked forever, so {@link #close} interrupts the one this stack started.
 */
public final class SipStackRunner implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(SipStackRunner.class);
    private static final AtomicLong STACKS = new AtomicLong();
    private static final String SCANNER = "EventScannerThread";
    /** How long {@link #close} waits for the listening sockets to be released. */
    static final int SOCKET_WAIT_SECONDS = 5;

    private final SipStackImpl stack;
    private final SipProvider provider;
    private final List<ListeningPoint> listeningPoints;
    private final Set<Thread> ownThreads;
    private final SipListener listener;
    private final MessageFactory messages = new MessageFactoryImpl();
    private final HeaderFactory headers = new HeaderFactoryImpl();
    private final AddressFactory addresses = new AddressFactoryImpl();
    private volatile boolean closed;
    private volatile StackStop.Outcome stopped;

    private SipStackRunner(SipStackImpl stack, SipProvider provider, List<ListeningPoint> listeningPoints, Set<Thread> ownThreads,
                           SipListener listener) {
        this.stack = stack;
        this.listener = listener;
        this.provider = provider;
        this.listeningPoints = List.copyOf(listeningPoints);
        this.ownThreads = ownThreads;
    }

    /**
     * Creates the stack, binds UDP and TCP (and TLS when configured) and registers {@code listener}.
     *
     * @param adapterName for the unique stack name and messages
     * @throws AdapterStartException with one operator line if a port cannot be bound
     */
    public static SipStackRunner start(String adapterName, SipSettings settings, SipListener listener) throws AdapterStartException {
        return start(adapterName, settings, listener, () -> { });
    }

    /**
     * As {@link #start(String, SipSettings, SipListener)}, counting with {@code onOversize} every request on a
     * stream transport whose body is too big for the stack to read: it is answered 413 and its connection closed
     * (see {@link OversizeAnsweringParserFactory}). {@code onOversize} runs on a JAIN-SIP thread and must only count.
     */
    public static SipStackRunner start(String adapterName, SipSettings settings, SipListener listener, Runnable onOversize)
            throws AdapterStartException {
        Set<Thread> before = scannerThreads();
        SipStackImpl stack;
        try {
            stack = new SipStackImpl(properties(adapterName, settings));
        } catch (javax.sip.PeerUnavailableException e) {
            throw new AdapterStartException(adapterName + ": cannot create the JAIN-SIP stack: " + e.getMessage(), e);
        }
        stack.setMessageParserFactory(new OversizeAnsweringParserFactory(adapterName, maxMessageBytes(settings),
                settings.maxBodyBytes(), onOversize));
        Set<Thread> own = scannerThreads();
        own.removeAll(before);
        List<ListeningPoint> points = new ArrayList<>();
        String where = settings.listenHost() + ":" + settings.listenPort();
        try {
            points.add(stack.createListeningPoint(settings.listenHost(), settings.listenPort(), ListeningPoint.UDP));
            points.add(stack.createListeningPoint(settings.listenHost(), settings.listenPort(), ListeningPoint.TCP));
            if (settings.tls() != null) {
                where = settings.listenHost() + ":" + settings.tls().port() + " (tls)";
                points.add(stack.createListeningPoint(settings.listenHost(), settings.tls().port(), ListeningPoint.TLS));
            }
            SipProvider provider = stack.createSipProvider(points.get(0));
            for (ListeningPoint lp : points.subList(1, points.size())) {
                provider.addListeningPoint(lp);
            }
            provider.addSipListener(listener);
            stack.start();
            SipStackRunner runner = new SipStackRunner(stack, provider, points, own, listener);
            runner.ownThreads.addAll(newScanners(before));
            return runner;
        } catch (javax.sip.TransportNotSupportedException | javax.sip.InvalidArgumentException | ObjectInUseException
                 | java.util.TooManyListenersException e) {
            own.addAll(newScanners(before));
            stopQuietly(stack, own);
            throw new AdapterStartException(adapterName + ": cannot listen on " + where + ": " + e.getMessage()
                    + "; pick a free port with listen-port", e);
        } catch (SipException e) {
            own.addAll(newScanners(before));
            stopQuietly(stack, own);
            throw new AdapterStartException(adapterName + ": cannot start SIP on " + where + ": " + e.getMessage(), e);
        }
    }

    private static Properties properties(String adapterName, SipSettings settings) {
        Properties p = new Properties();
        // SipFactory would cache by name; names stay unique so logs and thread dumps tell stacks apart.
        p.setProperty("javax.sip.STACK_NAME", "sigbridge-" + adapterName + "-" + STACKS.incrementAndGet() + "-"
                + Long.toString(new SecureRandom().nextLong() & Long.MAX_VALUE, 36));
        p.setProperty("javax.sip.AUTOMATIC_DIALOG_SUPPORT", "off");
        p.setProperty("gov.nist.javax.sip.STACK_LOGGER", Slf4jStackLogger.class.getName());
        p.setProperty("gov.nist.javax.sip.SERVER_LOGGER", Slf4jServerLogger.class.getName());
        p.setProperty("gov.nist.javax.sip.TRACE_LEVEL", "32");
        p.setProperty("gov.nist.javax.sip.THREAD_POOL_SIZE", "4");
        p.setProperty("gov.nist.javax.sip.REENTRANT_LISTENER", "true");
        // Big enough to read a request whose body is over the limit, so it can be answered 413.
        p.setProperty("gov.nist.javax.sip.MAX_MESSAGE_SIZE", Integer.toString(maxMessageBytes(settings)));
        p.setProperty("gov.nist.javax.sip.MAX_SERVER_TRANSACTIONS", "4096");
        p.setProperty("gov.nist.javax.sip.MAX_CLIENT_TRANSACTIONS", "4096");
        p.setProperty("gov.nist.javax.sip.CACHE_CLIENT_CONNECTIONS", "true");
        TlsSettings tls = settings.tls();
        if (tls == null) {
            // TCP_NODELAY on every TCP socket: see NoDelayNetworkLayer. With TLS, JAIN-SIP's own SSL layer is used.
            p.setProperty("gov.nist.javax.sip.NETWORK_LAYER", NoDelayNetworkLayer.class.getName());
        }
        if (tls != null) {
            p.setProperty("javax.net.ssl.keyStore", tls.keyStore());
            p.setProperty("javax.net.ssl.keyStoreType", tls.keyStoreType());
            p.setProperty("javax.net.ssl.trustStore", tls.trustStore());
            p.setProperty("javax.net.ssl.trustStoreType", tls.keyStoreType());
            if (tls.keyStorePassword() != null) {
                p.setProperty("javax.net.ssl.keyStorePassword", tls.keyStorePassword().reveal());
            }
            if (tls.trustStorePassword() != null) {
                p.setProperty("javax.net.ssl.trustStorePassword", tls.trustStorePassword().reveal());
            }
            p.setProperty("gov.nist.javax.sip.TLS_CLIENT_AUTH_TYPE", "Disabled");
            // JAIN-SIP checks no names; a trusted certificate must also name the host dialled (RFC 5922 §7.3).
            p.setProperty("gov.nist.javax.sip.TLS_SECURITY_POLICY", TlsNameCheck.class.getName());
        }
        return p;
    }

    /** The stack's {@code MAX_MESSAGE_SIZE}: {@code max-body-bytes} plus 64 KiB for the start line and headers. */
    static int maxMessageBytes(SipSettings settings) {
        return settings.maxBodyBytes() + 65_536;
    }

    public SipProvider provider() {
        return provider;
    }

    public MessageFactory messageFactory() {
        return messages;
    }

    public HeaderFactory headerFactory() {
        return headers;
    }

    public AddressFactory addressFactory() {
        return addresses;
    }

    /** RFC 2617 digest answers to 401/407 challenges with credentials from {@code accounts}. */
    public AuthenticationHelper authenticationHelper(AccountManager accounts) {
        return ((SipStackExt) stack).getAuthenticationHelper(accounts, headers);
    }

    /**
     * Where a TLS peer refused by the name check ({@link TlsNameCheck}) is reported: the request's transaction and the
     * reason, on the sending thread. No effect without TLS.
     */
    public void onTlsRefusal(java.util.function.BiConsumer<javax.sip.ClientTransaction, String> sink) {
        if (stack.getTlsSecurityPolicy() instanceof TlsNameCheck check) {
            check.onRefusal(sink);
        }
    }

    /** The stack's unique name. */
    public String name() {
        return stack.getStackName();
    }

    /** Transports listened on, e.g. {@code udp+tcp}. */
    public String transports() {
        return listeningPoints.stream().map(lp -> lp.getTransport().toLowerCase(java.util.Locale.ROOT)).collect(Collectors.joining("+"));
    }

    /**
     * Detaches the listener, stops the stack (which closes every listening point's socket) and ends its event
     * thread. Returns once the listening ports are free, so a reload or restart can bind them again at once: it waits
     * for the stack's listening threads to leave their sockets instead of JAIN-SIP's fixed second
     * ({@link org.sigbridge.jainsip.StackStop}; a few milliseconds, at most {@value #SOCKET_WAIT_SECONDS} s).
     * Idempotent; never throws. The provider and listening points are not deleted one by one first: deleting the last
     * provider stops the whole stack already, and each stop would run again (docs/library-assumptions.md#jain-sip).
     */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        try {
            provider.removeSipListener(listener);
        } catch (RuntimeException e) {
            log.debug("{}: removing the listener: {}", name(), e.toString());
        }
        long started = System.nanoTime();
        stopped = stopQuietly(stack, ownThreads);
        log.debug("{}: stopped in {} ms ({})", name(), (System.nanoTime() - started) / 1_000_000, stopped);
    }

    /** How {@link #close} ended; null before. For tests of the close path. */
    StackStop.Outcome stopOutcome() {
        return stopped;
    }

    /**
     * Stops the stack, interrupts only the scanner threads it started (never another stack's) and waits until its
     * listening sockets are released.
     */
    private static StackStop.Outcome stopQuietly(SipStackImpl stack, Set<Thread> own) {
        return StackStop.stop(stack, own, java.time.Duration.ofSeconds(SOCKET_WAIT_SECONDS));
    }

    private static Set<Thread> newScanners(Set<Thread> before) {
        Set<Thread> now = scannerThreads();
        now.removeAll(before);
        return now;
    }

    private static Set<Thread> scannerThreads() {
        return Thread.getAllStackTraces().keySet().stream()
                .filter(t -> t.getName().equals(SCANNER))
                .collect(Collectors.toCollection(java.util.HashSet::new));
    }
}
