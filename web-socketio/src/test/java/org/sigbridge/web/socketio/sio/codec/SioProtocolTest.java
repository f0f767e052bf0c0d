package org.sigbridge.web.socketio.sio.codec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.sigbridge.web.socketio.eio.codec.MalformedPacketException;

/** What differs between Socket.IO protocols v4 (socket.io 1.x/2.x) and v5 (docs/dialects.md §7.2, §7.3). */
class SioProtocolTest {

    @Test
    void v4ConnectsCarryANamespaceQueryThatIsNotPartOfTheNamespace() throws Exception {
        SioPacket connect = SioCodec.decode("0/chat?token=x&b=1", SioProtocol.V4);
        assertEquals(SioPacket.Type.CONNECT, connect.type());
        assertEquals("/chat", connect.namespace());
        assertEquals("/chat?x", SioCodec.decode("0/chat?x", SioProtocol.V5).namespace(), "v5 has no namespace query");
        SioPacket event = SioCodec.decode("2/chat,[\"message\",1]", SioProtocol.V4);
        assertEquals("/chat", event.namespace());
        assertEquals("message", event.eventName());
    }

    @Test
    void v5ConnectPayloadsAreObjectsOnly() throws Exception {
        assertThrows(MalformedPacketException.class, () -> SioCodec.decode("0\"x\"", SioProtocol.V5));
        assertEquals("\"x\"", SioCodec.decode("0\"x\"", SioProtocol.V4).data().json());
    }

    @Test
    void answersAndErrorsPerRevision() {
        assertEquals("0", SioCodec.encode(SioProtocol.V4.connectAnswer("/", "ignored")));
        assertEquals("0/chat,", SioCodec.encode(SioProtocol.V4.connectAnswer("/chat", "ignored")));
        assertEquals("0{\"sid\":\"abc\"}", SioCodec.encode(SioProtocol.V5.connectAnswer("/", "abc")));
        assertEquals("4/chat,\"no\"", SioCodec.encode(SioProtocol.V4.connectError("/chat", "no")));
        assertEquals("4/chat,{\"message\":\"no\"}", SioCodec.encode(SioProtocol.V5.connectError("/chat", "no")));
    }

    @Test
    void socketIdsComeFromTheEngineInV4AndAreRandomInV5() {
        assertEquals("ENGINE", SioProtocol.V4.socketId("ENGINE", "/", "random"));
        assertEquals("/chat#ENGINE", SioProtocol.V4.socketId("ENGINE", "/chat", "random"));
        assertEquals("random", SioProtocol.V5.socketId("ENGINE", "/chat", "random"));
        assertTrue(SioProtocol.V4.connectsRootUnprompted());
        assertFalse(SioProtocol.V5.connectsRootUnprompted());
    }
}
