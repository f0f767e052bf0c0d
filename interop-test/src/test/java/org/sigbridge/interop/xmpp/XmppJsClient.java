package org.sigbridge.interop.xmpp;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.sigbridge.testkit.peers.LineClient;
import org.sigbridge.testkit.peers.XmppServer;

/**
 * Runs {@code npm/muc-peer.mjs} with Node and the real {@code @xmpp/client} (version and integrity hash pinned in
 * {@code npm/package-lock.json}, which names no registry). When {@code node_modules} is missing it runs
 * {@code npm ci} first, which checks each package against the lock file; {@code scripts/test} does that before the
 * offline, loopback-only run, so a missing client fails here with npm's message rather than skipping.
 */
final class XmppJsClient {

    static final Path DIR = Path.of("npm").toAbsolutePath();

    private XmppJsClient() {
    }

    static synchronized void ensureInstalled() throws Exception {
        if (Files.isDirectory(DIR.resolve("node_modules/@xmpp/client"))) {
            return;
        }
        Process npm = new ProcessBuilder("npm", "ci", "--no-audit", "--no-fund", "--ignore-scripts")
                .directory(DIR.toFile()).redirectErrorStream(true).start();
        String log = new String(npm.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(npm.waitFor(180, TimeUnit.SECONDS) && npm.exitValue() == 0,
                "npm ci in " + DIR + " failed (run it once with network access, or scripts/test): " + log);
    }

    /**
     * Starts the xmpp.js occupant: logs in as {@code user}, joins {@code roomJid} as {@code nick} and answers the
     * first offer it sees in the room. It trusts exactly the server's certificate (NODE_EXTRA_CA_CERTS), so its
     * STARTTLS is verified. The caller closes the returned client.
     */
    static LineClient start(XmppServer server, String user, String roomJid, String nick) throws Exception {
        ensureInstalled();
        return LineClient.start("xmpp.js", List.of("node", "muc-peer.mjs", Integer.toString(server.port()), server.domain(),
                user, server.password(), roomJid, nick), Map.of("NODE_EXTRA_CA_CERTS", server.certificateFile().toString()), DIR);
    }
}
