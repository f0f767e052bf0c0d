package org.sigbridge.web.classic;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.sigbridge.testkit.web.WsClient;
import org.slf4j.LoggerFactory;
import org.sigbridge.web.TestBridge;

/** The envelope id is the MDC key {@code envelope} while the browser frame is published; bodies only below INFO. */
class CorrelationIdTest {

    @Test
    void thePublishIsLoggedWithTheEnvelopeIdInMdcAndTheBodyOnlyAtTrace() throws Exception {
        Logger logger = (Logger) LoggerFactory.getLogger(ClassicSession.class);
        Level before = logger.getLevel();
        ListAppender<ILoggingEvent> appender = new ListAppender<>();
        appender.start();
        logger.addAppender(appender);
        logger.setLevel(Level.TRACE);
        try (TestBridge bridge = TestBridge.start();
             WsClient a = WsClient.connect(bridge.ws("/ws/envelope?channel=c"));
             WsClient b = WsClient.connect(bridge.ws("/ws/envelope?channel=c"))) {
            b.expectPresent("c");
            a.send("{\"sender\":\"a\",\"channel\":\"c\",\"message\":\"v=0 SDP\",\"id\":\"corr-42\"}");
            assertTrue(b.next().contains("\"id\":\"corr-42\""));
        } finally {
            logger.detachAppender(appender);
            logger.setLevel(before);
        }
        List<ILoggingEvent> published = appender.list.stream().filter(e -> e.getFormattedMessage().contains("corr-42")).toList();
        assertFalse(published.isEmpty());
        published.forEach(e -> assertEquals("corr-42", e.getMDCPropertyMap().get("envelope"), e.getFormattedMessage()));
        published.forEach(e -> assertEquals("c", e.getMDCPropertyMap().get("channel")));
        appender.list.stream().filter(e -> e.getFormattedMessage().contains("v=0 SDP"))
                .forEach(e -> assertTrue(e.getLevel().toInt() < Level.INFO.toInt(), "a body at " + e.getLevel()));
    }
}
