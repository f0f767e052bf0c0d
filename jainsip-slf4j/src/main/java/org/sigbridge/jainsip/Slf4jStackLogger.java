package org.sigbridge.jainsip;

import gov.nist.core.StackLogger;
import java.util.Properties;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * JAIN-SIP's stack log, routed to SLF4J logger {@code org.sigbridge.sip.stack.jainsip}. Named in the
 * stack property {@code gov.nist.javax.sip.STACK_LOGGER}; JAIN-SIP instantiates it by reflection (hence
 * the public no-argument constructor) and calls it from any of its threads.
 *
 * <p>JAIN-SIP's INFO level traces every message, bodies included, so it maps to DEBUG: SDP and ICE
 * appear only at DEBUG/TRACE (docs/design.md §6.2). Its start-up warnings about default TLS key stores are
 * noise when TLS is not used and go to DEBUG as well, and so do a failed TLS handshake's stack trace, a failed
 * connection's warning, which the sip adapter reports in its own terms, and a keep-alive pong (RFC 5626 §4.4.1) that
 * could not be written on a connection that was closing. Lines carry no stack name: JAIN-SIP routes every
 * stack's log through the logger of the stack created last (its static {@code CommonLogger}).
 */
public final class Slf4jStackLogger implements StackLogger {

    private static final Logger log = LoggerFactory.getLogger("org.sigbridge.sip.stack.jainsip");

    private volatile boolean enabled = true;

    public Slf4jStackLogger() {
        // instantiated by JAIN-SIP
    }

    @Override
    public void logStackTrace() {
        if (enabled && log.isTraceEnabled()) {
            log.trace("stack trace", new Throwable("stack trace"));
        }
    }

    @Override
    public void logStackTrace(int traceLevel) {
        logStackTrace();
    }

    @Override
    public int getLineCount() {
        return 0;
    }

    @Override
    public void logException(Throwable ex) {
        if (enabled) {
            log.warn("{}", ex.toString(), ex);
        }
    }

    @Override
    public void logDebug(String message) {
        if (enabled) {
            log.trace("{}", message);
        }
    }

    @Override
    public void logDebug(String message, Exception ex) {
        if (enabled) {
            log.trace("{}", message, ex);
        }
    }

    @Override
    public void logTrace(String message) {
        if (enabled) {
            log.trace("{}", message);
        }
    }

    @Override
    public void logFatalError(String message) {
        if (enabled) {
            log.error("{}", message);
        }
    }

    @Override
    public void logError(String message) {
        if (enabled) {
            log.error("{}", message);
        }
    }

    @Override
    public void logError(String message, Exception ex) {
        if (!enabled) {
            return;
        }
        if (ex instanceof InterruptedException) {
            // the stack's owner (the sip adapter's SipStackRunner.close) interrupts the EventScannerThread JAIN-SIP
            // leaves blocked after stop().
            log.debug("{} (event scanner ended)", message);
        } else if (isKeepAliveAnswerOnAClosedConnection(message, ex)) {
            // RFC 5626 §4.4.1: the peer's double-CRLF ping is answered with one CRLF; when the connection has just closed
            // (the peer stopped, a TLS session torn down) the answer cannot be written, and the next read or send on it
            // finds it closed and the stack drops it: nothing is lost and nobody is to be told
            log.debug("{}", message, ex);
        } else if (isTlsFailure(ex) || isConnectFailure(ex)) {
            // a refused handshake, certificate or connection: the sip adapter fails the request with the cause (and puts a
            // TLS one in the leg's readiness, logged once: org.sigbridge.sip.session.TlsPeers); a stack trace per attempt
            // helps nobody
            log.debug("{}", message, ex);
        } else {
            log.error("{}", message, ex);
        }
    }

    @Override
    public void logWarning(String message) {
        if (!enabled) {
            return;
        }
        if (isTlsDefaultNoise(message) || isConnectFailure(message)) {
            log.debug("{}", message);
        } else {
            log.warn("{}", message);
        }
    }

    @Override
    public void logInfo(String message) {
        if (enabled) {
            log.debug("{}", message);
        }
    }

    @Override
    public boolean isLoggingEnabled() {
        return enabled && log.isWarnEnabled();
    }

    @Override
    public boolean isLoggingEnabled(int level) {
        if (!enabled) {
            return false;
        }
        if (level <= TRACE_ERROR) {
            return log.isErrorEnabled();
        }
        if (level <= TRACE_WARN) {
            return log.isWarnEnabled();
        }
        if (level <= TRACE_INFO) {
            return log.isDebugEnabled();
        }
        return log.isTraceEnabled();
    }

    @Override
    public void disableLogging() {
        enabled = false;
    }

    @Override
    public void enableLogging() {
        enabled = true;
    }

    @Override
    public void setBuildTimeStamp(String buildTimeStamp) {
        log.debug("JAIN-SIP build {}", buildTimeStamp);
    }

    @Override
    public void setStackProperties(Properties stackProperties) {
        log.debug("JAIN-SIP stack {} logging to SLF4J", stackProperties.getProperty("javax.sip.STACK_NAME"));
    }

    @Override
    public String getLoggerName() {
        return log.getName();
    }

    /** An {@link javax.net.ssl.SSLException} among the causes of {@code ex}. */
    private static boolean isTlsFailure(Throwable ex) {
        for (Throwable t = ex; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof javax.net.ssl.SSLException) {
                return true;
            }
        }
        return false;
    }

    /** JAIN-SIP's "Could not connect to /host:port" when a TCP or TLS connection is refused. */
    private static boolean isConnectFailure(Throwable ex) {
        return ex instanceof java.io.IOException && ex.getMessage() != null && ex.getMessage().startsWith("Could not connect");
    }

    /**
     * JAIN-SIP's "Failed to connect … but trying the advertised port" before it gives up on a TCP or TLS connection: the
     * sip adapter reports the failed request itself (to its sender, and in readiness for a TLS peer).
     */
    private static boolean isConnectFailure(String message) {
        // and its "Old socket …"/"New socket …" lines when it replaces a cached connection to a peer that restarted
        return message != null && (message.startsWith("Failed to connect") || message.startsWith("Old socket ")
                || message.startsWith("New socket "));
    }

    /** JAIN-SIP's parser could not write the CRLF pong of a keep-alive: an I/O failure of a connection that is closing. */
    private static boolean isKeepAliveAnswerOnAClosedConnection(String message, Throwable ex) {
        return message != null && message.startsWith("A problem occured while trying to send a single CLRF")
                && ex instanceof java.io.IOException;
    }

    private static boolean isTlsDefaultNoise(String message) {
        String m = message == null ? "" : message.toLowerCase(java.util.Locale.ROOT);
        return m.contains("keystore") || m.contains("truststore") || m.contains("tls");
    }
}
