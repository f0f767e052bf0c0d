package org.sigbridge.web.socketio.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;

import org.junit.jupiter.api.Test;

class HandshakeQueryTest {

    @Test
    void answersTheFirstValueOfEachNameCaseSensitivelyAsJettysFieldsDo() {
        HandshakeQuery q = HandshakeQuery.of("EIO", "4", "channel", "room 1", "channel", "room 2", "userid", "");
        assertEquals("4", q.getValue("EIO"));
        assertEquals("room 1", q.getValue("channel"));
        assertEquals("", q.getValue("userid"));
        assertNull(q.getValue("eio"));
        assertNull(q.getValue("sid"));
        assertEquals(3, q.size());
        assertEquals("EIO=4&channel=room 1&userid=", q.toString());
    }

    @Test
    void valuesManySessionsSendAreSharedNotCopied() {
        HandshakeQuery q = HandshakeQuery.of(new String("EIO"), new String("4"), new String("transport"), new String("websocket"));
        assertSame("4", q.getValue("EIO"));
        assertSame("websocket", q.getValue("transport"));
    }
}
