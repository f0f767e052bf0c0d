package org.sigbridge.testkit.peers;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * The command-line XMPP client {@code go-sendxmpp} (Debian package {@code go-sendxmpp}, 0.5.x) pointed at a
 * loopback {@link XmppServer}: it always negotiates STARTTLS and verifies the server's certificate, which is
 * trusted here through {@code SSL_CERT_FILE} (Go's system root override) naming the server's own PEM — no
 * {@code --no-tls-verify}.
 *
 * <p>Each instance owns a scratch directory for message files; {@link #close()} deletes it. Calls block the test
 * thread (a post takes well under a second); not thread-safe.
 */
public final class GoSendXmpp implements AutoCloseable {
    private static final Duration POST_TIMEOUT = Duration.ofSeconds(30);

    private final XmppServer server;
    private final ScratchDir dir = ScratchDir.create("sigbridge-go-sendxmpp-");
    private int files;

    public GoSendXmpp(XmppServer server) {
        this.server = server;
    }

    /**
     * Joins {@code roomJid} as {@code nick} logged in as {@code user}, says {@code body} there as one groupchat
     * message, leaves and exits.
     *
     * @return what go-sendxmpp printed
     * @throws PeerException if it exits non-zero or runs longer than 30 s
     */
    public String postToRoom(String user, String roomJid, String nick, String body) {
        Path message = dir.resolve("message-" + (++files) + ".txt");
        try {
            Files.writeString(message, body, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        List<String> command = List.of("go-sendxmpp", "-u", user + "@" + server.domain(), "-p", server.password(),
                "-j", "127.0.0.1:" + server.port(), "--timeout", "10", "-c", "-a", nick, "-m", message.toString(), roomJid);
        return ShortCommand.run(command, environment(), dir.path(), POST_TIMEOUT);
    }

    /**
     * Starts {@code go-sendxmpp --listen} logged in as {@code user} and joined to {@code roomJid} as {@code nick};
     * it prints the messages it receives until it is closed. The caller owns (closes) the returned client.
     */
    public LineClient listenInRoom(String user, String roomJid, String nick) {
        List<String> command = List.of("go-sendxmpp", "-u", user + "@" + server.domain(), "-p", server.password(),
                "-j", "127.0.0.1:" + server.port(), "--timeout", "10", "-c", "-a", nick, "-l", roomJid);
        return LineClient.start("go-sendxmpp-listen", command, environment(), dir.path());
    }

    private Map<String, String> environment() {
        return Map.of("SSL_CERT_FILE", server.certificateFile().toString(), "HOME", dir.path().toString());
    }

    /** Deletes the message files. Idempotent. */
    @Override
    public void close() {
        dir.close();
    }
}
