package org.sigbridge.testkit.peers;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

import javax.net.ssl.X509TrustManager;

import org.jivesoftware.smack.ConnectionConfiguration.SecurityMode;
import org.jivesoftware.smack.tcp.XMPPTCPConnection;
import org.jivesoftware.smack.tcp.XMPPTCPConnectionConfiguration;
import org.jivesoftware.smackx.iqregister.AccountManager;
import org.jxmpp.jid.parts.Localpart;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A real ejabberd 23.01 (Debian package {@code ejabberd}) on 127.0.0.1 with hosts {@value #DOMAIN} (users with
 * password {@value #PASSWORD}), {@value #ANONYMOUS_DOMAIN} (SASL ANONYMOUS) and the MUC service
 * {@value #MUC_SERVICE}.
 *
 * <p>It runs as {@code erl -noinput -mnesia dir ... -s ejabberd} in the foreground, <em>without</em> Erlang
 * distribution: the node is {@code nonode@nohost}, so there is no node name or cookie to clash with another
 * run, nothing registers with epmd and no distribution port is opened. The only listener is c2s on a probed
 * loopback port (STARTTLS offered with a self-signed certificate, not required). Config, certificate, Mnesia
 * spool and logs live in a private temp directory. Because {@code ejabberdctl} needs distribution, users are
 * created by in-band registration (XEP-0077) from this JVM once the server is up.
 *
 * <p>Methods are synchronized and block (start: about 1–2 s, bounded by the start timeout; stop: up to a few
 * seconds). {@link #stop()} then {@link #start()} restart on the same port with the same users (the spool is
 * kept). {@link #close()} stops the server and deletes the directory; it is idempotent.
 */
public final class EjabberdServer implements XmppServer, AutoCloseable {
    public static final String DOMAIN = "localhost";
    public static final String ANONYMOUS_DOMAIN = "anon.localhost";
    public static final String MUC_SERVICE = "conference.localhost";
    public static final String PASSWORD = "secret";
    /** ejabberd's usual {@code max_stanza_size} for c2s. */
    public static final int DEFAULT_STANZA_SIZE_LIMIT_BYTES = 256 * 1024;

    private static final Logger LOG = LoggerFactory.getLogger(EjabberdServer.class);
    private static final Duration STOP_GRACE = Duration.ofSeconds(10);
    private static final Path ERLANG_LIBS_PARENT = Path.of("/usr/lib");

    private final ScratchDir dir;
    private final int port;
    private final Path config;
    private final Path consoleLog;
    private final Path serverLog;
    private final Duration startTimeout;
    private final SelfSignedCertificate certificate;
    private PeerProcess process;
    private boolean closed;

    private EjabberdServer(Builder builder) {
        this.dir = ScratchDir.create("sigbridge-ejabberd-");
        this.port = FreePorts.tcpAndUdp();
        this.startTimeout = builder.startTimeout;
        this.consoleLog = dir.resolve("ejabberd.stdout.log");
        this.serverLog = dir.resolve("logs/ejabberd.log");
        try {
            Files.createDirectories(dir.resolve("spool"));
            Files.createDirectories(dir.resolve("logs"));
            Path certs = Files.createDirectories(dir.resolve("certs"));
            this.certificate = SelfSignedCertificate.generate(certs, DOMAIN,
                    List.of(DOMAIN, ANONYMOUS_DOMAIN, MUC_SERVICE));
            // ejabberd's certfiles want the chain and the key in one PEM file
            Files.writeString(certs.resolve("server.pem"), Files.readString(certificate.certificateFile())
                    + Files.readString(certificate.keyFile()), StandardCharsets.US_ASCII);
            this.config = writeConfig(builder.stanzaSizeLimitBytes);
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
     * Starts ejabberd (again) and blocks until the c2s port accepts. No-op if it is running.
     *
     * @throws PeerException with the log tail if it exits or does not accept within the start timeout, or if the
     *                       Debian package is missing
     */
    public synchronized void start() {
        requireOpen();
        if (process != null && process.isAlive()) {
            return;
        }
        Map<String, String> env = Map.of(
                "EJABBERD_CONFIG_PATH", config.toString(),
                "EJABBERD_LOG_PATH", serverLog.toString(),
                "ERL_CRASH_DUMP", dir.resolve("logs/erl_crash.dump").toString(),
                "ERL_LIBS", ejabberdLibs().toString(),
                "HOME", dir.path().toString());
        List<String> command = List.of("erl", "-noinput", "+K", "true",
                "-mnesia", "dir", "\"" + dir.resolve("spool") + "\"", "-s", "ejabberd");
        process = PeerProcess.start("ejabberd", command, env, dir.path(), consoleLog);
        process.awaitTcpAccept(port, startTimeout);
        LOG.info("ejabberd pid {} up on 127.0.0.1:{} ({})", process.pid(), port, dir.path());
    }

    /** Stops ejabberd with SIGTERM (then SIGKILL after a bounded wait); keeps port, users and spool. Idempotent. */
    public synchronized void stop() {
        if (process != null) {
            process.stop(STOP_GRACE);
            LOG.info("ejabberd on 127.0.0.1:{} stopped", port);
            process = null;
        }
    }

    public synchronized boolean isRunning() {
        return process != null && process.isAlive();
    }

    /**
     * Creates {@code name@localhost} by in-band registration (XEP-0077) over a plain loopback connection. The
     * server must be running. Blocks for one connection (about 100 ms; bounded by a 5 s reply timeout).
     *
     * @throws PeerException if ejabberd refuses (e.g. the user exists)
     */
    public synchronized void registerUser(String name, String password) {
        requireOpen();
        XMPPTCPConnection connection = null;
        try {
            connection = new XMPPTCPConnection(XMPPTCPConnectionConfiguration.builder()
                    .setXmppDomain(DOMAIN)
                    .setHostAddress(InetAddress.getLoopbackAddress())
                    .setPort(port)
                    .setSecurityMode(SecurityMode.disabled)
                    .build());
            connection.setReplyTimeout(5000);
            connection.connect();
            AccountManager accounts = AccountManager.getInstance(connection);
            accounts.sensitiveOperationOverInsecureConnection(true);
            accounts.createAccount(Localpart.from(name), password);
        } catch (Exception e) {
            throw new PeerException("ejabberd on 127.0.0.1:" + port + " did not register " + name + ": " + e
                    + "; log tail:\n" + logTail(), e);
        } finally {
            if (connection != null) {
                connection.disconnect();
            }
        }
    }

    @Override
    public int port() {
        return port;
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

    /** PEM certificate ejabberd offers on STARTTLS (SAN localhost, anon.localhost, conference.localhost). */
    @Override
    public Path certificateFile() {
        return certificate.certificateFile();
    }

    @Override
    public X509TrustManager trustManager() {
        return certificate.trustManager();
    }

    /** The server's private directory (config, certs, spool, logs); deleted by {@link #close()}. */
    public Path directory() {
        return dir.path();
    }

    /** The last 40 lines of ejabberd's own log (info level) and of its console, for failure messages. */
    public String logTail() {
        return PeerProcess.tail(serverLog, 40) + "\n(console:)\n" + PeerProcess.tail(consoleLog, 10);
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
            throw new IllegalStateException("EjabberdServer on port " + port + " is closed");
        }
    }

    private Path writeConfig(int stanzaSizeLimitBytes) throws IOException {
        String rendered = ScratchDir.readResource(EjabberdServer.class, "ejabberd.yml.in")
                .replace("@DIR@", dir.path().toString())
                .replace("@C2S_PORT@", Integer.toString(port))
                .replace("@STANZA_SIZE_LIMIT@", Integer.toString(stanzaSizeLimitBytes));
        Path file = dir.resolve("ejabberd.yml");
        Files.writeString(file, rendered, StandardCharsets.UTF_8);
        return file;
    }

    /** The multiarch library directory holding {@code ejabberd-*} (Debian: /usr/lib/x86_64-linux-gnu). */
    private static Path ejabberdLibs() {
        try (Stream<Path> arches = Files.list(ERLANG_LIBS_PARENT)) {
            return arches.filter(d -> d.getFileName().toString().endsWith("-linux-gnu"))
                    .filter(EjabberdServer::holdsEjabberd)
                    .findFirst()
                    .orElseThrow(() -> new PeerException("no " + ERLANG_LIBS_PARENT + "/*-linux-gnu/ejabberd-* found;"
                            + " install the Debian package: apt-get install ejabberd"));
        } catch (IOException e) {
            throw new PeerException("cannot list " + ERLANG_LIBS_PARENT, e);
        }
    }

    private static boolean holdsEjabberd(Path dir) {
        try (Stream<Path> entries = Files.list(dir)) {
            return entries.anyMatch(p -> p.getFileName().toString().startsWith("ejabberd-")
                    && Files.isDirectory(p.resolve("ebin")));
        } catch (IOException e) {
            return false;
        }
    }

    /** Options for {@link EjabberdServer}. Not thread-safe; use once. */
    public static final class Builder {
        private int stanzaSizeLimitBytes = DEFAULT_STANZA_SIZE_LIMIT_BYTES;
        private final Set<String> users = new LinkedHashSet<>(List.of("alice", "bob"));
        private Duration startTimeout = Duration.ofSeconds(30);

        private Builder() {
        }

        /** c2s {@code max_stanza_size}: a bigger stanza closes the client's stream. */
        public Builder stanzaSizeLimitBytes(int bytes) {
            if (bytes < 1024) {
                throw new IllegalArgumentException("stanzaSizeLimitBytes must be >= 1024: " + bytes);
            }
            this.stanzaSizeLimitBytes = bytes;
            return this;
        }

        /** Registers these users too (password {@value EjabberdServer#PASSWORD}); alice and bob always exist. */
        public Builder users(String... names) {
            users.addAll(List.of(names));
            return this;
        }

        public Builder startTimeout(Duration timeout) {
            this.startTimeout = timeout;
            return this;
        }

        /** Creates the directory and certificate, starts the server, then registers the users; closes it on failure. */
        public EjabberdServer start() {
            EjabberdServer server = new EjabberdServer(this);
            try {
                server.start();
                for (String user : users) {
                    server.registerUser(user, PASSWORD);
                }
                return server;
            } catch (RuntimeException e) {
                server.close();
                throw e;
            }
        }
    }
}
