package org.sigbridge.interop.sip;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import java.util.List;
import org.slf4j.LoggerFactory;

/**
 * Every log event of the test JVM (logback's root logger) from {@link #start()} until {@link #close()}, for tests that
 * assert what the bridge logs: how many warnings one cause gives, that no stack trace is logged above DEBUG. Events are
 * appended by any thread (under the appender's lock); the queries take a snapshot under that lock, so they may be
 * called while capturing and after.
 */
final class LogCapture implements AutoCloseable {

    private final Logger root = (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
    private final ListAppender<ILoggingEvent> appender = new ListAppender<>();

    private LogCapture() {
    }

    /** Attaches a capture to the root logger. */
    static LogCapture start() {
        LogCapture capture = new LogCapture();
        capture.appender.start();
        capture.root.addAppender(capture.appender);
        return capture;
    }

    /** The events at {@code atLeast} or above, in order. */
    List<ILoggingEvent> events(Level atLeast) {
        synchronized (appender) { // AppenderBase appends under the appender's lock
            return appender.list.stream().filter(e -> e.getLevel().isGreaterOrEqual(atLeast)).toList();
        }
    }

    /** {@code "<logger> <message>"} of each event at {@code atLeast} or above, in order. */
    List<String> messages(Level atLeast) {
        return events(atLeast).stream().map(LogCapture::line).toList();
    }

    /** {@code "<logger> <message>"} of each event at {@code atLeast} or above that carries a stack trace. */
    List<String> withStackTrace(Level atLeast) {
        return events(atLeast).stream().filter(e -> e.getThrowableProxy() != null).map(LogCapture::line).toList();
    }

    /** Detaches from the root logger; what was captured stays readable. Idempotent. */
    @Override
    public void close() {
        root.detachAppender(appender);
    }

    private static String line(ILoggingEvent e) {
        return e.getLoggerName() + " " + e.getFormattedMessage();
    }
}
