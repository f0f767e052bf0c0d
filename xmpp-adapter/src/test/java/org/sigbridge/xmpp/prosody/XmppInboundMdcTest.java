package org.sigbridge.xmpp.prosody;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.sigbridge.envelope.Envelope;
import org.sigbridge.spi.PresenceEvent;
import org.sigbridge.testkit.junit.ProsodyExtension;
import org.sigbridge.testing.RecordingEndpoint;
import org.sigbridge.testkit.xmpp.NativeXmppUser;
import org.slf4j.LoggerFactory;

/** A message from the room is published with the envelope's {@code adapter}/{@code channel}/{@code envelope} MDC keys. */
@Timeout(60)
class XmppInboundMdcTest {

    private static final Duration WAIT = Duration.ofSeconds(10);

    @RegisterExtension
    static final ProsodyExtension PROSODY = new ProsodyExtension();

    @Test
    void publishesARoomMessageWithTheEnvelopeIdInMdc() throws Exception {
        Logger logger = (Logger) LoggerFactory.getLogger("org.sigbridge.xmpp.room.RoomInbox");
        Level before = logger.getLevel();
        ListAppender<ILoggingEvent> appender = new ListAppender<>();
        appender.start();
        logger.addAppender(appender);
        logger.setLevel(Level.DEBUG);
        Envelope received;
        try (BridgeUnderTest bridge = BridgeUnderTest.start(PROSODY.server(), "mdc", "");
             NativeXmppUser bob = NativeXmppUser.join(PROSODY.server(), "bob", "mdc-1", "bob")) {
            RecordingEndpoint browser = bridge.browser("browser-mdc", "mdc-1");
            PresenceEvent joined;
            do {
                joined = browser.presence().next(WAIT);
            } while (joined.kind() != PresenceEvent.Kind.JOINED);
            bob.say("{\"type\":\"answer\"}");
            received = browser.envelopes().next(WAIT);
        } finally {
            logger.detachAppender(appender);
            logger.setLevel(before);
        }
        String id = received.id();
        List<ILoggingEvent> published = appender.list.stream().filter(e -> e.getFormattedMessage().contains(id)).toList();
        assertFalse(published.isEmpty(), "no RoomInbox line names " + id);
        for (ILoggingEvent e : published) {
            assertEquals(id, e.getMDCPropertyMap().get("envelope"), e.getFormattedMessage());
            assertEquals("mdc-1", e.getMDCPropertyMap().get("channel"));
            assertEquals("xmpp", e.getMDCPropertyMap().get("adapter"));
        }
    }
}
