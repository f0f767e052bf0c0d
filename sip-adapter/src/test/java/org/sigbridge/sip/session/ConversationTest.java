package org.sigbridge.sip.session;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.sigbridge.envelope.Envelope;
import org.sigbridge.envelope.JsonValue;
import org.sigbridge.envelope.Origin;
import org.sigbridge.sip.SipRoute;
import org.sigbridge.sip.mapping.ContentKind;
import org.sigbridge.sip.mapping.TransportChoice;

class ConversationTest {

    private static final Instant NOW = Instant.parse("2026-11-24T00:00:00Z");
    private static final SipRoute ROUTE = new SipRoute(Optional.empty(), ContentKind.JSON, TransportChoice.TCP, List.of());

    private static Conversation.Outgoing outgoing(int n) {
        return new Conversation.Outgoing(new Envelope("e" + n, "room1", JsonValue.string("alice"), JsonValue.string("m" + n),
                new Origin("web", "w1"), NOW), ROUTE);
    }

    @Test
    void windowOfOneSendsOneAtATimeInOrder() {
        Conversation c = new Conversation("room1", "sip:bob@example.org", "127.0.0.1", 8, 1, NOW);
        assertEquals(Conversation.Offer.START, c.offer(outgoing(1), NOW));
        assertEquals("e1", c.take().envelope().id());
        assertEquals(Conversation.Offer.QUEUED, c.offer(outgoing(2), NOW));
        assertNull(c.take(), "the window is full while e1 is in flight");
        assertEquals(Conversation.After.SEND, c.done(), "e2 still waits");
        assertEquals("e2", c.take().envelope().id());
        assertEquals(Conversation.After.IDLE, c.done());
        assertFalse(c.isBusy());
    }

    @Test
    void windowLetsSeveralGoInQueueOrderAndRefillsAsAnswersCome() {
        Conversation c = new Conversation("room1", "sip:bob@example.org", "127.0.0.1", 8, 3, NOW);
        for (int i = 1; i <= 5; i++) {
            assertEquals(Conversation.Offer.START, c.offer(outgoing(i), NOW), "nothing taken yet: the window has room");
        }
        List<String> sent = new ArrayList<>();
        Conversation.Outgoing o;
        while ((o = c.take()) != null) {
            sent.add(o.envelope().id());
        }
        assertEquals(List.of("e1", "e2", "e3"), sent);
        assertEquals(Conversation.Offer.QUEUED, c.offer(outgoing(6), NOW), "three in flight fill the window");
        assertEquals(Conversation.After.SEND, c.done(), "e4 waits and the window has room");
        assertEquals("e4", c.take().envelope().id());
        assertNull(c.take());
        c.done();
        c.done();
        assertEquals("e5", c.take().envelope().id());
        assertEquals("e6", c.take().envelope().id());
        assertNull(c.take(), "queue empty");
        assertEquals(Conversation.After.IN_FLIGHT, c.done(), "nothing waits, two still in flight: no send to start");
        assertEquals(Conversation.After.IN_FLIGHT, c.done());
        assertEquals(Conversation.After.IDLE, c.done(), "idle once the last answer is in");
    }

    @Test
    void cseqRisesWithEveryRequest() {
        Conversation c = new Conversation("room1", "sip:bob@example.org", "127.0.0.1", 8, 4, NOW);
        assertEquals(1, c.nextCseq());
        assertEquals(2, c.nextCseq());
        c.sawCseq(7); // a digest retry used 7
        assertEquals(8, c.nextCseq());
    }

    @Test
    void queueBoundHoldsWhateverTheWindow() {
        Conversation c = new Conversation("room1", "sip:bob@example.org", "127.0.0.1", 2, 2, NOW);
        c.offer(outgoing(1), NOW);
        c.offer(outgoing(2), NOW);
        assertEquals(Conversation.Offer.FULL, c.offer(outgoing(3), NOW));
        assertThrows(IllegalArgumentException.class, () -> new Conversation("room1", "sip:b@x", "h", 2, 3, NOW));
    }
}
