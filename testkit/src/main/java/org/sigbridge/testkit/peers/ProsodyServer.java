package org.sigbridge.testkit.peers;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

import javax.net.ssl.X509TrustManager;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A real Prosody 0.12 ({@code prosody -F}) on 127.0.0.1 with hosts {@value #DOMAIN} (users with password
 * {@value #PASSWORD}), {@value #ANONYMOUS_DOMAIN} (SASL ANONYMOUS) and the MUC service {@value #MUC_SERVICE}.
 *
 * <p>The config (rendered from a template in this jar), a self-signed certificate (so STARTTLS is offered
 * but not required), the data files and the logs live in a private temp directory. The c2s port is probed
 * once: {@link #stop()} then {@link #start()} restart on the same port with the same users, for outage tests.
 * Prosody binds nothing but 127.0.0.1 and that port (no s2s, http or components ports), and, when the builder asks
 * for it, a direct-TLS c2s port (XEP-0368, {@code c2s_direct_tls_ports}) with the same certificate.
 *
 * <p>Methods are synchronized and block (start: about 0.1–0.5 s, bounded by the start timeout; stop: up to
 * a few seconds). {@link #close()} stops the server and deletes the directory; it is idempotent, and after it
 * only the accessors may be used.
 */
public final class ProsodyServer implements XmppServer, AutoCloseable {
    public static final String DOMAIN = "localhost";
    public static final String ANONYMOUS_DOMAIN = "anon.localhost";
    public static final String MUC_SERVICE = "conference.localhost";
    public static final String PASSWORD = "secret";
    /** Prosody's own default for {@code c2s_stanza_size_limit}. */
    public static final int DEFAULT_STANZA_SIZE_LIMIT_BYTES = 256 * 1024;

    private static final Logger LOG = LoggerFactory.getLogger(ProsodyServer.class);
    private static final Duration STOP_GRACE = Duration.ofSeconds(5);
    private static final Duration CTL_TIMEOUT = Duration.ofSeconds(15);

    private final ScratchDir dir;
    private final int port;
    /** The XEP-0368 direct-TLS c2s port, or 0 when there is none. */
    private final int directTlsPort;
    private final Path config;
    private final Path consoleLog;
    private final Duration startTimeout;
    private final SelfSignedCertificate certificate;
    private PeerProcess process;
    private boolean closed;

    private ProsodyServer(Builder builder) {
        this.dir = ScratchDir.create("sigbridge-prosody-");
        this.port = FreePorts.tcpAndUdp();
        this.directTlsPort = builder.directTls ? FreePorts.tcpAndUdp() : 0;
        this.startTimeout = builder.startTimeout;
        this.consoleLog = dir.resolve("prosody.stdout.log");
        try {
            Files.createDirectories(dir.resolve("data"));
            Files.createDirectories(dir.resolve("certs"));
            this.config = writeConfig(builder.stanzaSizeLimitBytes);
            // Prosody indexes certs/ by subjectAltName, so one cert serves all three hosts (STARTTLS offered).
            this.certificate = SelfSignedCertificate.generate(dir.resolve("certs"), DOMAIN,
                    builder.certificateNames != null ? builder.certificateNames : List.of(DOMAIN, ANONYMOUS_DOMAIN, MUC_SERVICE));
        } catch (IOException e) {
            dir.close();
            throw new UncheckedIOException("cannot prepare " + dir.path(), e);
        } catch (RuntimeException e) {
            dir.close();
            throw e;
        }
    }

    /** Options for a new server; {@link Builder#start()} creates and starts it. */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * Starts Prosody (again) and blocks until the c2s port accepts. No-op if it is running.
     *
     * @throws PeerException with the log tail if it exits or does not accept within the start timeout
     */
    public synchronized void start() {
        requireOpen();
        if (process != null && process.isAlive()) {
            return;
        }
        process = PeerProcess.start("prosody", List.of("prosody", "-F", "--config", config.toString()),
                dir.path(), consoleLog);
        process.awaitTcpAccept(port, startTimeout);
        if (directTlsPort != 0) {
            process.awaitTcpAccept(directTlsPort, startTimeout);
        }
        LOG.info("prosody pid {} up on 127.0.0.1:{} ({})", process.pid(), port, dir.path());
    }

    /** Stops Prosody with SIGTERM (then SIGKILL after a bounded wait); keeps port, users and data. Idempotent. */
    public synchronized void stop() {
        if (process != null) {
            process.stop(STOP_GRACE);
            LOG.info("prosody on 127.0.0.1:{} stopped", port);
            process = null;
        }
    }

    public synchronized boolean isRunning() {
        return process != null && process.isAlive();
    }

    /**
     * Creates (or re-keys) {@code name@localhost} with prosodyctl; works while the server runs or is stopped.
     * Blocks for about 100 ms.
     */
    public synchronized void registerUser(String name, String password) {
        requireOpen();
        ShortCommand.run(List.of("prosodyctl", "--config", config.toString(), "register", name, DOMAIN, password),
                dir.path(), CTL_TIMEOUT);
    }

    /** The c2s port on 127.0.0.1; stable across restarts. */
    @Override
    public int port() {
        return port;
    }

    /**
     * The direct-TLS c2s port on 127.0.0.1 (XEP-0368: TLS from the first byte, the certificate of
     * {@link #certificateFile()}); stable across restarts.
     *
     * @throws IllegalStateException unless the builder asked for {@link Builder#directTls()}
     */
    public int directTlsPort() {
        if (directTlsPort == 0) {
            throw new IllegalStateException("this Prosody has no direct-TLS port; build it with directTls()");
        }
        return directTlsPort;
    }

    @Override
    public String domain() {
        return DOMAIN;
    }

    public String anonymousDomain() {
        return ANONYMOUS_DOMAIN;
    }

    @Override
    public String mucService() {
        return MUC_SERVICE;
    }

    /** {@value #PASSWORD}, the password of every user registered through the builder. */
    @Override
    public String password() {
        return PASSWORD;
    }

    /** PEM certificate Prosody offers on STARTTLS (SAN localhost, anon.localhost, conference.localhost). */
    @Override
    public Path certificateFile() {
        return certificate.certificateFile();
    }

    /** A key store trusting exactly {@link #certificateFile()}. */
    public KeyStore trustStore() {
        return certificate.trustStore();
    }

    /** A trust manager trusting exactly {@link #certificateFile()}; for Smack's setCustomX509TrustManager. */
    @Override
    public X509TrustManager trustManager() {
        return certificate.trustManager();
    }

    /** The server's private directory (config, certs, data, logs); deleted by {@link #close()}. */
    public Path directory() {
        return dir.path();
    }

    /** The last 40 lines of Prosody's console log (info level), for failure messages. */
    public String logTail() {
        return PeerProcess.tail(consoleLog, 40);
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

    private void requireOpen() {
        if (closed) {
            throw new IllegalStateException("ProsodyServer on port " + port + " is closed");
        }
    }

    private Path writeConfig(int stanzaSizeLimitBytes) throws IOException {
        String template = ScratchDir.readResource(ProsodyServer.class, "prosody.cfg.lua.in");
        String rendered = template.replace("@DIR@", dir.path().toString())
                .replace("@C2S_PORT@", Integer.toString(port))
                .replace("@C2S_DIRECT_TLS_PORTS@", directTlsPort == 0 ? "" : Integer.toString(directTlsPort))
                .replace("@STANZA_SIZE_LIMIT@", Integer.toString(stanzaSizeLimitBytes));
        Path file = dir.resolve("prosody.cfg.lua");
        Files.writeString(file, rendered, StandardCharsets.UTF_8);
        return file;
    }

    /** Options for {@link ProsodyServer}. Not thread-safe; use once. */
    public static final class Builder {
        private int stanzaSizeLimitBytes = DEFAULT_STANZA_SIZE_LIMIT_BYTES;
        private final Set<String> users = new LinkedHashSet<>(List.of("alice", "bob"));
        private Duration startTimeout = Duration.ofSeconds(10);
        private List<String> certificateNames;
        private boolean directTls;

        private Builder() {
        }

        /** Also listens for direct TLS (XEP-0368, {@code c2s_direct_tls_ports}) on a probed port: {@link ProsodyServer#directTlsPort()}. */
        public Builder directTls() {
            this.directTls = true;
            return this;
        }

        /**
         * The DNS names of the certificate Prosody presents (its file is still {@code certs/localhost.crt}, which
         * Prosody finds by file name), e.g. a name other than the XMPP domain, for a client's name check.
         */
        public Builder certificateNames(String... names) {
            this.certificateNames = List.of(names);
            return this;
        }

        /** {@code c2s_stanza_size_limit}: a bigger stanza closes the client's stream (stanza-too-big). */
        public Builder stanzaSizeLimitBytes(int bytes) {
            if (bytes < 1024) {
                throw new IllegalArgumentException("stanzaSizeLimitBytes must be >= 1024: " + bytes);
            }
            this.stanzaSizeLimitBytes = bytes;
            return this;
        }

        /** Registers these users too (password {@value ProsodyServer#PASSWORD}); alice and bob always exist. */
        public Builder users(String... names) {
            users.addAll(List.of(names));
            return this;
        }

        public Builder startTimeout(Duration timeout) {
            this.startTimeout = timeout;
            return this;
        }

        /** Creates the directory, certificate and users, then starts the server; closes it again on failure. */
        public ProsodyServer start() {
            ProsodyServer server = new ProsodyServer(this);
            try {
                for (String user : new ArrayList<>(users)) {
                    server.registerUser(user, PASSWORD);
                }
                server.start();
                return server;
            } catch (RuntimeException e) {
                server.close();
                throw e;
            }
        }
    }
}
