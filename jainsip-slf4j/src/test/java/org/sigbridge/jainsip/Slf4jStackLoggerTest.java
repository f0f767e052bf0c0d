package org.sigbridge.jainsip;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import gov.nist.core.LogLevels;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/**
 * The stack log's level mapping on the operators' logger name (conf/reference/sip.md): JAIN-SIP's INFO, which
 * traces whole messages, is DEBUG; its TLS key-store notices are DEBUG; the interrupted event scanner is DEBUG.
 */
class Slf4jStackLoggerTest {

    private final Logger logger = (Logger) LoggerFactory.getLogger("org.sigbridge.sip.stack.jainsip");
    private final ListAppender<ILoggingEvent> appender = new ListAppender<>();
    private final Slf4jStackLogger stackLogger = new Slf4jStackLogger();

    @BeforeEach
    void attach() {
        appender.start();
        logger.addAppender(appender);
        logger.setLevel(Level.TRACE);
    }

    @AfterEach
    void detach() {
        logger.detachAppender(appender);
        logger.setLevel(null);
    }

    @Test
    void writesToTheOperatorsLoggerName() {
        assertEquals("org.sigbridge.sip.stack.jainsip", stackLogger.getLoggerName());
    }

    @Test
    void mapsTheStacksLevelsOntoSlf4j() {
        stackLogger.logFatalError("fatal");
        stackLogger.logError("error");
        stackLogger.logWarning("warning");
        stackLogger.logInfo("SIP/2.0 200 OK with a body");
        stackLogger.logDebug("debug");
        stackLogger.logTrace("trace");
        assertEquals(List.of("ERROR fatal", "ERROR error", "WARN warning", "DEBUG SIP/2.0 200 OK with a body",
                "TRACE debug", "TRACE trace"), lines());
    }

    @Test
    void turnsTlsKeyStoreNoticesAndTheInterruptedScannerIntoDebug() {
        stackLogger.logWarning("TLS uses the default keyStore");
        stackLogger.logError("Interrupted!", new InterruptedException());
        assertEquals(List.of("DEBUG TLS uses the default keyStore", "DEBUG Interrupted! (event scanner ended)"), lines());
    }

    @Test
    void aKeepAlivePongThatCannotBeWrittenOnAClosingConnectionIsDebugAnyOtherFailureOfItAnError() {
        String message = "A problem occured while trying to send a single CLRF in response to a double CLRF";
        stackLogger.logError(message, new java.net.SocketException("Socket closed"));
        stackLogger.logError(message, new IllegalStateException("a bug"));
        assertEquals(List.of("DEBUG " + message, "ERROR " + message), lines());
    }

    @Test
    void answersWhetherALevelIsEnabledFromTheBackend() {
        logger.setLevel(Level.INFO);
        assertTrue(stackLogger.isLoggingEnabled(LogLevels.TRACE_WARN));
        assertFalse(stackLogger.isLoggingEnabled(LogLevels.TRACE_INFO), "JAIN-SIP's INFO is our DEBUG");
        logger.setLevel(Level.DEBUG);
        assertTrue(stackLogger.isLoggingEnabled(LogLevels.TRACE_INFO));
        assertFalse(stackLogger.isLoggingEnabled(LogLevels.TRACE_DEBUG));
    }

    @Test
    void staysSilentWhileTheStackDisablesLogging() {
        stackLogger.disableLogging();
        stackLogger.logError("error");
        assertFalse(stackLogger.isLoggingEnabled(LogLevels.TRACE_ERROR));
        stackLogger.enableLogging();
        stackLogger.logError("again");
        assertEquals(List.of("ERROR again"), lines());
    }

    private List<String> lines() {
        return appender.list.stream().map(e -> e.getLevel() + " " + e.getFormattedMessage()).toList();
    }
}
