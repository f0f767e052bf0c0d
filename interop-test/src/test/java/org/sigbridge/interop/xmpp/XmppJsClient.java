package org.sigbridge.interop.xmpp;

import java.util.List;
import java.util.Map;
import org.sigbridge.interop.NpmClients;
import org.sigbridge.testkit.peers.LineClient;
import org.sigbridge.testkit.peers.XmppServer;

/**
 * Runs {@code npm/muc-peer.mjs} with Node and the real {@code @xmpp/client} (see {@link NpmClients}).
 */
final class XmppJsClient {

    private XmppJsClient() {
    }

    /**
     * Starts the xmpp.js occupant: logs in as {@code user}, joins {@code roomJid} as {@code nick} and answers the
     * first offer it sees in the room. It trusts exactly the server's certificate (NODE_EXTRA_CA_CERTS), so its
     * STARTTLS is verified. The caller closes the returned client.
     */
    static LineClient start(XmppServer server, String user, String roomJid, String nick) throws Exception {
        NpmClients.ensureInstalled();
        return LineClient.start("xmpp.js", List.of("node", "muc-peer.mjs", Integer.toString(server.port()), server.domain(),
                user, server.password(), roomJid, nick), Map.of("NODE_EXTRA_CA_CERTS", server.certificateFile().toString()),
                NpmClients.DIR);
    }
}
