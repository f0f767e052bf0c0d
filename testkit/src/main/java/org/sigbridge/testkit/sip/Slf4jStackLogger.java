package org.sigbridge.testkit.sip;

import java.util.Properties;

import gov.nist.core.StackLogger;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * JAIN-SIP {@code gov.nist.javax.sip.STACK_LOGGER} that writes to the SLF4J logger {@code gov.nist.javax.sip}
 * instead of log4j 1.x (which the RI otherwise needs at run time). Levels: fatal and error to ERROR, warnings
 * to WARN, info (which includes message traces) to DEBUG, debug and trace to TRACE. Thread-safe; the stack
 * instantiates it reflectively through the public no-argument constructor.
 */
public final class Slf4jStackLogger implements StackLogger {
    private static final Logger LOG = LoggerFactory.getLogger("gov.nist.javax.sip");

    public Slf4jStackLogger() {
        // instantiated by the stack
    }

    @Override
    public boolean isLoggingEnabled() {
        return LOG.isWarnEnabled();
    }

    @Override
    public boolean isLoggingEnabled(int level) {
        if (level <= TRACE_WARN) {
            return LOG.isWarnEnabled();
        }
        return level <= TRACE_INFO ? LOG.isDebugEnabled() : LOG.isTraceEnabled();
    }

    @Override
    public void logStackTrace() {
        logStackTrace(TRACE_DEBUG);
    }

    @Override
    public void logStackTrace(int traceLevel) {
        if (LOG.isTraceEnabled()) {
            LOG.trace("stack trace requested by JAIN-SIP", new Exception("stack trace"));
        }
    }

    @Override
    public int getLineCount() {
        return 0;
    }

    @Override
    public void logException(Throwable ex) {
        LOG.warn("JAIN-SIP exception", ex);
    }

    @Override
    public void logDebug(String message) {
        LOG.trace("{}", message);
    }

    @Override
    public void logDebug(String message, Exception ex) {
        LOG.trace("{}", message, ex);
    }

    @Override
    public void logTrace(String message) {
        LOG.trace("{}", message);
    }

    @Override
    public void logFatalError(String message) {
        LOG.error("{}", message);
    }

    @Override
    public void logError(String message) {
        LOG.error("{}", message);
    }

    @Override
    public void logError(String message, Exception ex) {
        LOG.error("{}", message, ex);
    }

    @Override
    public void logWarning(String message) {
        if (isTlsDefaultsNotice(message)) {
            // every stack start warns five times that TLS uses JVM defaults; no listener here uses TLS
            LOG.debug("{}", message);
        } else {
            LOG.warn("{}", message);
        }
    }

    private static boolean isTlsDefaultsNotice(String message) {
        String lower = message == null ? "" : message.toLowerCase(java.util.Locale.ROOT);
        return lower.contains("tls") || lower.contains("keystore") || lower.contains("truststore");
    }

    @Override
    public void logInfo(String message) {
        LOG.debug("{}", message);
    }

    @Override
    public void disableLogging() {
        // levels come from the SLF4J backend's configuration
    }

    @Override
    public void enableLogging() {
        // levels come from the SLF4J backend's configuration
    }

    @Override
    public void setBuildTimeStamp(String buildTimeStamp) {
        LOG.debug("JAIN-SIP build {}", buildTimeStamp);
    }

    @Override
    public void setStackProperties(Properties stackProperties) {
        // nothing to configure
    }

    @Override
    public String getLoggerName() {
        return LOG.getName();
    }
}
