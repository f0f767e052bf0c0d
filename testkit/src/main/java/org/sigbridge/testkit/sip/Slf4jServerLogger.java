package org.sigbridge.testkit.sip;

import java.util.Properties;

import gov.nist.core.ServerLogger;
import gov.nist.javax.sip.message.SIPMessage;

import javax.sip.SipStack;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * JAIN-SIP {@code gov.nist.javax.sip.SERVER_LOGGER} that traces every SIP message sent or received to the
 * SLF4J logger {@code gov.nist.javax.sip.messages} at TRACE (message bodies carry SDP and ICE). Thread-safe;
 * instantiated reflectively by the stack.
 */
public final class Slf4jServerLogger implements ServerLogger {
    private static final Logger LOG = LoggerFactory.getLogger("gov.nist.javax.sip.messages");

    public Slf4jServerLogger() {
        // instantiated by the stack
    }

    @Override
    public void closeLogFile() {
        // no file
    }

    @Override
    public void logMessage(SIPMessage message, String from, String to, boolean sender, long time) {
        trace(message, from, to, sender);
    }

    @Override
    public void logMessage(SIPMessage message, String from, String to, String status, boolean sender, long time) {
        trace(message, from, to, sender);
    }

    @Override
    public void logMessage(SIPMessage message, String from, String to, String status, boolean sender) {
        trace(message, from, to, sender);
    }

    @Override
    public void logException(Exception ex) {
        LOG.warn("JAIN-SIP exception", ex);
    }

    @Override
    public void setStackProperties(Properties stackProperties) {
        // nothing to configure
    }

    @Override
    public void setSipStack(SipStack sipStack) {
        // not needed
    }

    private static void trace(SIPMessage message, String from, String to, boolean sender) {
        if (LOG.isTraceEnabled()) {
            LOG.trace("{} {} -> {}\n{}", sender ? "sent" : "received", from, to, message.encode());
        }
    }
}
