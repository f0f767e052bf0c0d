package org.sigbridge.dist.soak;

import java.net.URI;

/**
 * A PeerJS client's server socket (docs/dialects.md §8): {@code /peerjs?key=peerjs&id=…&token=…}, admitted with
 * {@code {"type":"OPEN"}}; OFFER and ANSWER frames go to a {@code dst} peer, which receives them with {@code src}
 * stamped. Every frame is also handed to the ledger as {@code id}'s.
 */
final class PeerJsPeer implements AutoCloseable {

    private final RawSocket socket;

    private PeerJsPeer(RawSocket socket) {
        this.socket = socket;
    }

    static PeerJsPeer connect(int port, String id, SoakLedger ledger) throws InterruptedException {
        RawSocket s = RawSocket.open(URI.create("ws://127.0.0.1:" + port + "/peerjs?key=peerjs&id=" + id + "&token=t" + id),
                f -> ledger.scan(id, f));
        s.await(f -> f.contains("\"OPEN\""), "PeerJS OPEN for " + id, RawSocket.CONNECT);
        return new PeerJsPeer(s);
    }

    /** Sends {@code {"type":type,"dst":dst,"payload":payloadJson}}. */
    void send(String type, String dst, String payloadJson) {
        socket.send("{\"type\":\"" + type + "\",\"dst\":\"" + dst + "\",\"payload\":" + payloadJson + "}");
    }

    @Override
    public void close() {
        socket.leave();
    }
}
