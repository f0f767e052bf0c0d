package org.sigbridge.testkit.peers;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.sigbridge.testkit.Poll;

/**
 * The console softphone {@code linphonec} 5.1 (Debian package {@code linphone-cli}) running headless: a private
 * {@code linphonerc} and {@code HOME}, commands on its standard input through a pipe, its output read line by line.
 * {@code chat URI TEXT} sends a SIP MESSAGE; a received one is printed as {@code Message received from URI: TEXT}.
 *
 * <p>The account {@code sip:<user>@localhost} REGISTERs at a loopback registrar (e.g. Kamailio) that is also its
 * outbound proxy ({@code reg_route}), so every request goes there. It listens for SIP on UDP and TCP port
 * {@link #port()}. No sound card is needed (it logs that it found none).
 *
 * <p>Caution: linphonec binds its SIP port and an extra TCP port on the wildcard address, and its resolver tries
 * the system DNS servers; run the suite in a loopback-only network namespace, as {@code scripts/test} does.
 *
 * <p>Owned by one test thread. {@link #close()} asks it to quit, then stops the process; it is idempotent.
 */
public final class Linphone implements AutoCloseable {
    private static final Duration STATUS_WAIT = Duration.ofMillis(500);

    private final ScratchDir dir;
    private final int port;
    private final LineClient process;

    private Linphone(ScratchDir dir, int port, LineClient process) {
        this.dir = dir;
        this.port = port;
        this.process = process;
    }

    /** Starts {@code user} registering at the registrar on 127.0.0.1:{@code registrarPort} (UDP). */
    public static Linphone throughRegistrar(String user, int registrarPort) {
        ScratchDir dir = ScratchDir.create("sigbridge-linphone-");
        try {
            int port = FreePorts.tcpAndUdp();
            int rtp = FreePorts.tcpAndUdp();
            String proxy = "sip:127.0.0.1:" + registrarPort + ";transport=udp";
            Files.writeString(dir.resolve("linphonerc"), String.join("\n",
                    "[sip]",
                    "sip_port=" + port,
                    "sip_tcp_port=" + port,
                    "sip_tls_port=-1",
                    "default_proxy=0",
                    "ipv6_enabled=0",
                    "",
                    "[net]",
                    "firewall_policy=0",
                    "ipv6_enabled=0",
                    "",
                    "[sound]",
                    "echocancellation=0",
                    "",
                    "[rtp]",
                    "audio_rtp_port=" + rtp,
                    "video_rtp_port=" + (rtp + 2),
                    "",
                    "[proxy_0]",
                    "reg_proxy=<" + proxy + ">",
                    "reg_route=<" + proxy + ";lr>",
                    "reg_identity=\"" + user + "\" <sip:" + user + "@localhost>",
                    "reg_expires=300",
                    "reg_sendregister=1",
                    "publish=0",
                    ""), StandardCharsets.UTF_8);
            // without its database directory linphonec crashes on the first chat command
            Files.createDirectories(dir.resolve(".local/share/linphone"));
            LineClient process = LineClient.start("linphonec-" + user,
                    List.of("linphonec", "-c", dir.resolve("linphonerc").toString()),
                    Map.of("HOME", dir.path().toString()), dir.path());
            return new Linphone(dir, port, process);
        } catch (IOException e) {
            dir.close();
            throw new UncheckedIOException(e);
        } catch (RuntimeException e) {
            dir.close();
            throw e;
        }
    }

    /**
     * Asks {@code status register} until linphonec answers that it is registered (its registration state is only
     * observable by asking).
     *
     * @throws AssertionError with the last answer if it is not registered within {@code timeout}
     */
    public void awaitRegistered(Duration timeout) throws Exception {
        Poll.until("linphonec registered", timeout, STATUS_WAIT, this::registrationStatus,
                line -> line.contains("registered,") && !line.contains("unregistered"));
    }

    /** One {@code status register} question and its answer line (or a note that none came). */
    private String registrationStatus() throws InterruptedException {
        process.writeLine("status register");
        try {
            return process.awaitLine("answering status register", l -> l.contains("registered"), STATUS_WAIT);
        } catch (AssertionError e) {
            return "(no answer yet)";
        }
    }

    /** Sends {@code text} (one line) as a MESSAGE to {@code uri}, as a user typing {@code chat URI TEXT}. */
    public void chat(String uri, String text) {
        if (text.contains("\n")) {
            throw new IllegalArgumentException("one line only: " + text);
        }
        process.writeLine("chat " + uri + " " + text);
    }

    /** Waits until linphonec prints a received MESSAGE with {@code text} and answers the whole line. */
    public String awaitMessage(String text, Duration timeout) throws InterruptedException {
        return process.awaitLine("with a received MESSAGE \"" + text + "\"",
                l -> l.contains("Message received from ") && l.endsWith(": " + text), timeout);
    }

    /** SIP port on the host (UDP and TCP). */
    public int port() {
        return port;
    }

    /** Everything linphonec printed so far. */
    public String output() {
        return process.output();
    }

    /** Asks linphonec to quit, then stops it and deletes its directory. Idempotent. */
    @Override
    public void close() {
        if (process.isAlive()) {
            try {
                process.writeLine("quit");
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
