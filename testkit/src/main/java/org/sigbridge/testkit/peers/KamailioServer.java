package org.sigbridge.testkit.peers;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A real Kamailio 5.6 registrar and stateful proxy for the SIP domain {@value #DOMAIN}, listening on UDP and
 * TCP 127.0.0.1 with one probed port number.
 *
 * <p>Its config (a copy in this jar) stores REGISTERed contacts in memory together with the source
 * address and transport of the REGISTER, relays requests for {@code sip:USER@localhost} to them (404 for
 * unknown users, 408 after 5 s of silence) and reads TCP messages up to 128 KiB. It runs as
 * {@code kamailio -DD -E} (foreground main process plus forked workers) from a private temp directory.
 *
 * <p>Options add SIP over WebSocket, digest authentication, a stateless fork and a TLS socket ({@link Builder}).
 *
 * <p>{@link #stop()} then {@link #start()} restart it on the same port; registrations are lost (usrloc is
 * in memory). Methods are synchronized and block: start about 50 ms, stop up to about 2 s. {@link #close()}
 * is idempotent.
 */
public final class KamailioServer implements AutoCloseable {
    public static final String DOMAIN = "localhost";

    private static final Logger LOG = LoggerFactory.getLogger(KamailioServer.class);
    private static final Duration STOP_GRACE = Duration.ofSeconds(8);

    private final ScratchDir dir;
    private final int port;
    private final Path config;
    private final Path log;
    private final List<String> defines;
    private final Duration startTimeout;
    /** The TLS port, or 0 without {@link Builder#tls}. */
    private final int tlsPort;
    private PeerProcess process;
    private boolean closed;

    private KamailioServer(Builder builder) {
        this.dir = ScratchDir.create("sigbridge-kamailio-");
        this.port = FreePorts.tcpAndUdp();
        try {
            this.config = dir.extract(KamailioServer.class, "kamailio.cfg", "kamailio.cfg");
        } catch (RuntimeException e) {
            dir.close();
            throw e;
        }
        this.log = dir.resolve("kamailio.log");
        List<String> defines = new ArrayList<>(builder.defines);
        if (builder.tlsCertificate != null) {
            this.tlsPort = FreePorts.tcpAndUdp();
            Path tlsConfig = dir.resolve("tls.cfg");
            try {
                // tls module config (Kamailio 5.6 tls README): one server profile; peers' certificates not asked for,
                // unless clients must present one the given CAs issued (verify_certificate, require_certificate, ca_list)
                String clients = builder.clientCas == null ? "verify_certificate = no\nrequire_certificate = no\n"
                        : "verify_certificate = yes\nrequire_certificate = yes\nca_list = " + builder.clientCas + "\n";
                java.nio.file.Files.writeString(tlsConfig, "[server:default]\nmethod = " + builder.tlsMethod + "\n" + clients
                        + "private_key = " + builder.tlsKey + "\ncertificate = " + builder.tlsCertificate
                        + "\n\n[client:default]\nmethod = TLSv1.2+\nverify_certificate = no\nrequire_certificate = no\n");
            } catch (java.io.IOException e) {
                dir.close();
                throw new java.io.UncheckedIOException("cannot write " + tlsConfig, e);
            }
            defines.add("WITH_TLS");
            defines.add("TLS_CONFIG=\"" + tlsConfig + "\"");
        } else {
            this.tlsPort = 0;
        }
        this.defines = List.copyOf(defines);
        this.startTimeout = builder.startTimeout;
    }

    public static Builder builder() {
        return new Builder();
    }

    /**
     * Starts Kamailio (again) and blocks until its TCP socket accepts. No-op if it is running.
     *
     * @throws PeerException with the log tail if it exits or does not accept within the start timeout
     */
    public synchronized void start() {
        if (closed) {
            throw new IllegalStateException("KamailioServer on port " + port + " is closed");
        }
        if (process != null && process.isAlive()) {
            return;
        }
        // Always pass -l: the cfg has no listen= and Kamailio would otherwise bind every interface on 5060.
        List<String> command = new ArrayList<>(List.of("kamailio", "-f", config.toString(), "-DD", "-E",
                "-Y", dir.path().toString(), "-P", dir.resolve("kamailio.pid").toString(), "-w", dir.path().toString(),
                "-l", "udp:127.0.0.1:" + port, "-l", "tcp:127.0.0.1:" + port, "-m", "64", "-M", "8"));
        if (tlsPort != 0) {
            command.addAll(List.of("-l", "tls:127.0.0.1:" + tlsPort));
        }
        for (String define : defines) {
            command.add("-A");
            command.add(define);
        }
        process = PeerProcess.start("kamailio", command, dir.path(), log);
        process.awaitTcpAccept(port, startTimeout);
        if (tlsPort != 0) {
            process.awaitTcpAccept(tlsPort, startTimeout);
        }
        LOG.info("kamailio pid {} up on udp+tcp 127.0.0.1:{} ({})", process.pid(), port, dir.path());
    }

    /** SIGTERM to the main process (it takes its workers down, about 1–2 s), bounded, then SIGKILL. Idempotent. */
    public synchronized void stop() {
        if (process != null) {
            process.stop(STOP_GRACE);
            LOG.info("kamailio on 127.0.0.1:{} stopped", port);
            process = null;
        }
    }

    public synchronized boolean isRunning() {
        return process != null && process.isAlive();
    }

    /** The UDP and TCP port on 127.0.0.1; stable across restarts. */
    public int port() {
        return port;
    }

    public String domain() {
        return DOMAIN;
    }

    /**
     * The TLS port on 127.0.0.1 ({@link Builder#tls}); stable across restarts.
     *
     * @throws IllegalStateException if the server was built without TLS
     */
    public int tlsPort() {
        if (tlsPort == 0) {
            throw new IllegalStateException("KamailioServer on port " + port + " has no TLS socket: build it with tls(...)");
        }
        return tlsPort;
    }

    /** The proxy as a loose-route URI for a preloaded Route header, e.g. {@code sip:127.0.0.1:P;lr;transport=tcp}. */
    public String routeUri(String transport) {
        return "sip:127.0.0.1:" + port + ";lr;transport=" + transport;
    }

    public Path directory() {
        return dir.path();
    }

    /** The last 40 lines of Kamailio's log (stderr, info level: one line per request and reply). */
    public String logTail() {
        return PeerProcess.tail(log, 40);
    }

    /** Stops the server and deletes its directory. Idempotent. */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        stop();
        dir.close();
        closed = true;
    }

    /** Options for {@link KamailioServer}. Not thread-safe; use once. */
    public static final class Builder {
        private final List<String> defines = new ArrayList<>();
        private Duration startTimeout = Duration.ofSeconds(10);
        private Path tlsCertificate;
        private Path tlsKey;
        private Path clientCas;
        private String tlsMethod = "TLSv1.2+";

        private Builder() {
        }

        /**
         * Makes Kamailio send forwarded requests over 1300 bytes by TCP instead of UDP
         * ({@code -A WITH_UDP_MTU}; RFC 3261 §18.1.1). The receiving UA must listen on TCP on its contact port.
         */
        public Builder udpMtuFallbackToTcp() {
            defines.add("WITH_UDP_MTU");
            return this;
        }

        /**
         * Accepts SIP over WebSocket (RFC 7118) on the TCP port too ({@code -A WITH_WEBSOCKET}): a browser UA
         * connects to {@code ws://127.0.0.1:<port>}. Needs the Debian package {@code kamailio-websocket-modules}.
         */
        public Builder webSocket() {
            defines.add("WITH_WEBSOCKET");
            return this;
        }

        /**
         * Makes REGISTER pass digest authentication (realm {@code localhost}, RFC 3261 §22) with {@code password}
         * for every user ({@code -A WITH_AUTH}).
         */
        public Builder digestAuth(String password) {
            if (!password.matches("[A-Za-z0-9._-]+")) {
                throw new IllegalArgumentException("a password of letters, digits, '.', '_' and '-' only: " + password);
            }
            defines.add("WITH_AUTH");
            defines.add("AUTH_PASSWORD=\"" + password + "\"");
            return this;
        }

        /**
         * Forks every MESSAGE statelessly to two next hops ({@code -A WITH_STATELESS_FORK}): one core
         * {@code forward()} to {@code 127.0.0.1:portA} and one to {@code 127.0.0.1:portB}, over the transport the
         * request arrived on. No transaction is kept, so both final responses travel back to the sender (RFC 3261
         * §16.11); each relayed response is logged as {@code SL-REPLY <status> <reason> for <method> <call-id> from …}.
         */
        public Builder statelessFork(int portA, int portB) {
            defines.add("WITH_STATELESS_FORK");
            defines.add("FORK_A=\"sip:127.0.0.1:" + portA + "\"");
            defines.add("FORK_B=\"sip:127.0.0.1:" + portB + "\"");
            return this;
        }

        /**
         * Adds a TLS socket on its own probed port ({@link KamailioServer#tlsPort()}; {@code -A WITH_TLS}) presenting
         * {@code certificate} (PEM, chain allowed) with {@code key} (PEM). Clients' certificates are not asked for.
         * Needs the Debian package {@code kamailio-tls-modules}.
         */
        public Builder tls(Path certificate, Path key) {
            this.tlsCertificate = certificate.toAbsolutePath();
            this.tlsKey = key.toAbsolutePath();
            return this;
        }

        /**
         * With {@link #tls}: clients must present a certificate that a CA in {@code caList} (PEM) issued, or the
         * handshake is refused (the tls module's {@code verify_certificate}, {@code require_certificate} and
         * {@code ca_list}). The file is read at each {@link KamailioServer#start()}.
         */
        public Builder requireClientCertificate(Path caList) {
            this.clientCas = caList.toAbsolutePath();
            return this;
        }

        /** With {@link #tls}: the tls module's {@code method}, e.g. {@code TLSv1.2} alone (default {@code TLSv1.2+}). */
        public Builder tlsMethod(String method) {
            if (!method.matches("[A-Za-z0-9.+]+")) {
                throw new IllegalArgumentException("a tls module method such as TLSv1.2 or TLSv1.2+: " + method);
            }
            this.tlsMethod = method;
            return this;
        }

        public Builder startTimeout(Duration timeout) {
            this.startTimeout = timeout;
            return this;
        }

        /** Creates the directory and starts the server; closes it again on failure. */
        public KamailioServer start() {
            KamailioServer server = new KamailioServer(this);
            try {
                server.start();
                return server;
            } catch (RuntimeException e) {
                server.close();
                throw e;
            }
        }
    }
}
