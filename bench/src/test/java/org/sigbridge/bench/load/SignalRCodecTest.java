package org.sigbridge.bench.load;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.net.URI;
import java.util.List;

import org.junit.jupiter.api.Test;

class SignalRCodecTest {

    @Test
    void negotiatesAtTheHubsNegotiateUrlAndOpensTheSocketWithTheToken() {
        URI hub = WireDialect.SIGNALR.connectUri(URI.create("ws://127.0.0.1:8888/hubs/"), "bench-a-3", 7);
        assertEquals(URI.create("ws://127.0.0.1:8888/hubs/bench-a-3"), hub);
        assertEquals(URI.create("http://127.0.0.1:8888/hubs/bench-a-3/negotiate?negotiateVersion=1"), SignalRCodec.negotiateUri(hub));
        String answer = "{\"negotiateVersion\":1,\"connectionId\":\"pub\",\"connectionToken\":\"tok_-1\","
                + "\"availableTransports\":[{\"transport\":\"WebSockets\",\"transferFormats\":[\"Text\"]}]}";
        assertEquals(URI.create("ws://127.0.0.1:8888/hubs/bench-a-3?id=tok_-1"),
                SignalRCodec.socketUri(hub, SignalRCodec.connectionToken(answer)));
        assertEquals("v0id", SignalRCodec.connectionToken("{\"negotiateVersion\":0,\"connectionId\":\"v0id\"}"));
        assertThrows(IllegalArgumentException.class, () -> SignalRCodec.connectionToken("{\"error\":\"nope\"}"));
    }

    @Test
    void theServersBroadcastOfASendCarriesTheProbeBack() {
        Probe probe = new Probe(4, 11, 987_654_321L, true);
        String send = WireDialect.SIGNALR.publishFrame("bench-a-0", 4, probe.body("xyz"));
        assertEquals(SignalRCodec.RS, send.charAt(send.length() - 1));
        // What the hub writes to the other members: the same text argument, under the client method's name.
        String broadcast = send.replace("\"target\":\"Send\"", "\"target\":\"onMessageReceived\"");
        List<SignalRCodec.Record> records = SignalRCodec.records(broadcast + "{\"type\":6}" + SignalRCodec.RS);
        assertEquals(2, records.size());
        assertEquals(SignalRCodec.Kind.BROADCAST, records.get(0).kind());
        assertEquals("{\"message\":" + probe.body("xyz") + ",\"channel\":\"bench-a-0\"}", records.get(0).text());
        assertEquals(probe, Probe.parse(records.get(0).text()));
        assertEquals(SignalRCodec.Kind.OTHER, records.get(1).kind());
    }

    @Test
    void readsTheHandshakeAnswerAndRefusals() {
        List<SignalRCodec.Record> records = SignalRCodec.records("{}" + SignalRCodec.RS
                + "{\"type\":7,\"error\":\"Connection closed with an error.\"}" + SignalRCodec.RS + "{\"type\":1");
        assertEquals(List.of(SignalRCodec.Kind.HANDSHAKE_OK, SignalRCodec.Kind.REFUSED),
                records.stream().map(SignalRCodec.Record::kind).toList());
        assertEquals(SignalRCodec.Kind.REFUSED,
                SignalRCodec.records("{\"error\":\"No Connection with that ID\"}" + SignalRCodec.RS).get(0).kind());
    }

    @Test
    void escapingRoundTrips() {
        String text = "{\"a\":\"b\\\\c\"}";
        assertEquals(text, SignalRCodec.unescape(SignalRCodec.escape(text)));
    }
}
