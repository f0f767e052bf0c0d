package org.sigbridge.testkit.peers;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * A real baresip 1.0 softphone (Debian package {@code baresip}) running headless: {@code baresip -f DIR} with a
 * private config directory, its {@code stdio} user interface reading commands from a pipe the test writes to, and
 * its output read line by line. It sends SIP MESSAGE with {@code /message TEXT} to its one contact and prints each
 * MESSAGE it receives as {@code <from-uri>: "<text>"}.
 *
 * <p>With {@link #throughRegistrar} the account is {@code sip:<user>@localhost} and it REGISTERs at a loopback
 * registrar (e.g. Kamailio) that is also its outbound proxy; with {@link #direct} the account is
 * {@code sip:<user>@127.0.0.1:<port>}, it registers nowhere and sends straight to its contact's host and port. It listens for SIP on UDP and TCP 127.0.0.1:{@link #port()} (and, as
 * baresip always does, TLS on the next port up). Audio is the {@code aufile} module on /dev/null: no sound device.
 *
 * <p>Caution: baresip's resolver also opens UDP sockets on the wildcard address (it sends nothing there in these
 * tests); run the suite in a loopback-only network namespace, as {@code scripts/test} does.
 *
 * <p>Owned by one test thread. {@link #close()} asks it to quit, then stops the process; it is idempotent.
 */
public final class Baresip implements AutoCloseable {
    private static final int PORT_ATTEMPTS = 50;

    private final ScratchDir dir;
    private final String user;
    private final String aor;
    private final int port;
    private final LineClient process;

    private Baresip(ScratchDir dir, String user, String aor, int port, LineClient process) {
        this.dir = dir;
        this.user = user;
        this.aor = aor;
        this.port = port;
        this.process = process;
    }

    /**
     * Starts {@code user} registering at the registrar on 127.0.0.1:{@code registrarPort} (UDP), which is also its
     * outbound proxy; {@code contactUri} is whom {@link #message(String)} writes to. Call {@link #awaitRegistered}
     * before relying on the registration.
     */
    public static Baresip throughRegistrar(String user, int registrarPort, String contactUri) {
        return throughRegistrar(user, registrarPort, contactUri, null);
    }

    /** As {@link #throughRegistrar(String, int, String)}, answering digest challenges with {@code password}. */
    public static Baresip throughRegistrar(String user, int registrarPort, String contactUri, String password) {
        String account = "<sip:" + user + "@localhost;transport=udp>;" + (password == null ? "" : "auth_pass=" + password + ";")
                + "outbound=\"sip:127.0.0.1:" + registrarPort + ";transport=udp\";regint=300";
        return start(user, account, contactUri, freeSipPort());
    }

    /**
     * Starts {@code user} registering nowhere, with the routable AOR {@code sip:<user>@127.0.0.1:<port>} (a UA
     * without a registrar is reached at its own address); {@link #message(String)} goes straight to
     * {@code contactUri}.
     */
    public static Baresip direct(String user, String contactUri) {
        int port = freeSipPort();
        return start(user, "<sip:" + user + "@127.0.0.1:" + port + ";transport=udp>;regint=0", contactUri, port);
    }

    /** A port whose UDP and TCP, and TCP on the next port up (baresip's TLS), are free now. */
    public static int freeSipPort() {
        for (int attempt = 0; attempt < PORT_ATTEMPTS; attempt++) {
            int port = FreePorts.tcpAndUdp();
            try (ServerSocket tls = new ServerSocket()) {
                tls.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port + 1), 1);
                return port;
            } catch (IOException e) {
                // port + 1 taken: try another
            }
        }
        throw new PeerException("no loopback port pair free for baresip after " + PORT_ATTEMPTS + " attempts");
    }

    private static Baresip start(String user, String account, String contactUri, int port) {
        ScratchDir dir = ScratchDir.create("sigbridge-baresip-");
        try {
            Files.writeString(dir.resolve("config"), String.join("\n",
                    "poll_method\tepoll",
                    "sip_listen\t127.0.0.1:" + port,
                    "net_interface\t127.0.0.1", // "lo" fails: "could not get IPv4 address"
                    "module_path\t/usr/lib/baresip/modules",
                    "module\tstdio.so",
                    "module\tg711.so",
                    "module\taufile.so",
                    "module_app\taccount.so",
                    "module_app\tcontact.so",
                    "module_app\tmenu.so",
                    "audio_player\taufile,/dev/null",
                    "audio_source\taufile,/dev/null",
                    "audio_alert\taufile,/dev/null",
                    ""), StandardCharsets.UTF_8);
            Files.writeString(dir.resolve("accounts"), account + "\n", StandardCharsets.UTF_8);
            Files.writeString(dir.resolve("contacts"), "<" + contactUri + ">\n", StandardCharsets.UTF_8);
            LineClient process = LineClient.start("baresip-" + user, List.of("baresip", "-f", dir.path().toString()),
                    Map.of("HOME", dir.path().toString()), dir.path());
            String aor = account.substring(1, account.indexOf(';'));
            Baresip baresip = new Baresip(dir, user, aor, port, process);
            baresip.awaitReady();
            return baresip;
        } catch (IOException e) {
            dir.close();
            throw new UncheckedIOException(e);
        } catch (RuntimeException | Error e) {
            dir.close();
            throw e;
        }
    }

    private void awaitReady() {
        try {
            process.awaitLine("'baresip is ready.'", "baresip is ready."::equals, Duration.ofSeconds(15));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new PeerException("interrupted while baresip started", e);
        } catch (AssertionError e) {
            process.close();
            throw e;
        }
    }

    /** Waits until baresip reports its REGISTER answered 200 OK by the registrar. */
    public void awaitRegistered(Duration timeout) throws InterruptedException {
        process.awaitLine("reporting a 200 OK registration", l -> l.contains(user + "@localhost") && l.contains("200 OK"),
                timeout);
    }

    /** Sends {@code text} (one line) as a MESSAGE to the contact, as a user typing {@code /message TEXT}. */
    public void message(String text) {
        if (text.contains("\n")) {
            throw new IllegalArgumentException("one line only: " + text);
        }
        process.writeLine("/message " + text);
    }

    /**
     * Waits until baresip prints a received MESSAGE whose text is {@code text} and answers the whole line
     * ({@code <from-uri>: "<text>"}).
     */
    public String awaitMessage(String text, Duration timeout) throws InterruptedException {
        return process.awaitLine("with a received MESSAGE \"" + text + "\"", l -> l.endsWith(": \"" + text + "\""), timeout);
    }

    /** Waits for any output line containing {@code fragment} (e.g. an error report) and answers it. */
    public String awaitOutput(String fragment, Duration timeout) throws InterruptedException {
        return process.awaitLine("containing \"" + fragment + "\"", l -> l.contains(fragment), timeout);
    }

    /** The account's address of record: {@code sip:<user>@localhost} or {@code sip:<user>@127.0.0.1:<port>}. */
    public String aor() {
        return aor;
    }

    /** SIP port on 127.0.0.1 (UDP and TCP). */
    public int port() {
        return port;
    }

    /** Everything baresip printed so far. */
    public String output() {
        return process.output();
    }

    /** Asks baresip to quit (un-REGISTERing), then stops it and deletes its directory. Idempotent. */
    @Override
    public void close() {
        if (process.isAlive()) {
            try {
                process.writeLine("/quit");
                process.awaitExit(Duration.ofSeconds(5));
            } catch (AssertionError e) {
                // it did not take the command or did not exit: close() below stops it
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        process.close();
        dir.close();
    }
}
