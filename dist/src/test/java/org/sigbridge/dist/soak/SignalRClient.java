package org.sigbridge.dist.soak;

import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.sigbridge.envelope.JsonValue;

/**
 * An ASP.NET Core SignalR connection with the JSON hub protocol over WebSockets (docs/dialects.md §9.1): negotiate,
 * the WebSocket at {@code /hubs/<hub>?id=<token>}, the handshake record, and {@code Send(text)} invocations whose
 * completion is awaited; records end with {@code 0x1E}. Every frame is also handed to the ledger as {@code name}'s.
 */
final class SignalRClient implements AutoCloseable {

    private static final char RS = 0x1e;
    private static final Pattern TOKEN = Pattern.compile("\"connectionToken\":\"([^\"]+)\"");
    private static final Pattern RESULT = Pattern.compile("\"result\":\"([^\"]+)\"");

    private final RawSocket socket;
    private final SoakLedger ledger;
    private final AtomicInteger invocations = new AtomicInteger();

    private SignalRClient(RawSocket socket, SoakLedger ledger) {
        this.socket = socket;
        this.ledger = ledger;
    }

    static SignalRClient connect(int port, String hub, String name, SoakLedger ledger) throws Exception {
        HttpResponse<String> negotiated = RawSocket.http().send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/hubs/"
                + hub + "/negotiate?negotiateVersion=1")).timeout(RawSocket.CONNECT).header("X-Requested-With", "XMLHttpRequest")
                .POST(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
        Matcher m = TOKEN.matcher(negotiated.body());
        if (negotiated.statusCode() != 200 || !m.find()) {
            throw new AssertionError("negotiate " + hub + ": " + negotiated.statusCode() + " " + negotiated.body());
        }
        RawSocket s = RawSocket.open(URI.create("ws://127.0.0.1:" + port + "/hubs/" + hub + "?id=" + m.group(1)), f -> ledger.scan(name, f));
        s.send("{\"protocol\":\"json\",\"version\":1}" + RS);
        s.await(f -> f.startsWith("{}" + RS), "SignalR handshake answer", RawSocket.CONNECT);
        return new SignalRClient(s, ledger);
    }

    /**
     * {@code invoke("Send", JSON.stringify({message, channel}))} of a message carrying {@code token}; waits for the
     * completion (the hub then hears the channel), whose result is the envelope id a later {@code onDeliveryFailed}
     * names (docs/signalr.md); the ledger learns it. A completion error reports the token to the ledger.
     */
    void send(String channel, String token, String messageJson) throws InterruptedException {
        String text = "{\"message\":" + messageJson + ",\"channel\":" + JsonValue.string(channel).json() + "}";
        String id = Integer.toString(invocations.incrementAndGet());
        try {
            socket.send("{\"type\":1,\"invocationId\":\"" + id + "\",\"target\":\"Send\",\"arguments\":[" + JsonValue.string(text).json()
                    + "]}" + RS);
        } catch (RuntimeException e) {
            ledger.reported(token, "client: send failed");
            throw e;
        }
        String done = socket.await(f -> f.contains("\"type\":3") && f.contains("\"invocationId\":\"" + id + "\""), "completion of Send #" + id,
                RawSocket.CONNECT);
        Matcher result = RESULT.matcher(done);
        if (done.contains("\"error\"")) {
            ledger.reported(token, "completion error: " + done);
        } else if (result.find()) {
            ledger.learnId(result.group(1), token); // a later onDeliveryFailed names this id
        }
    }

    void drop() {
        socket.drop();
    }

    @Override
    public void close() {
        socket.leave();
    }
}
