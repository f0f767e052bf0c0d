package org.sigbridge.jainsip;

import gov.nist.core.ServerLogger;
import gov.nist.javax.sip.message.SIPMessage;
import java.util.Properties;
import javax.sip.SipStack;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * JAIN-SIP's message trace, routed to SLF4J logger {@code org.sigbridge.sip.stack.messages} at TRACE:
 * messages carry SDP and ICE candidates, which are logged only at TRACE (docs/design.md §6.2). Named in
 * {@code gov.nist.javax.sip.SERVER_LOGGER}; instantiated by JAIN-SIP by reflection and called from its threads.
 */
public final class Slf4jServerLogger implements ServerLogger {

    private static final Logger log = LoggerFactory.getLogger("org.sigbridge.sip.stack.messages");

    private volatile String stackName = "jain-sip";

    public Slf4jServerLogger() {
        // instantiated by JAIN-SIP
    }

    @Override
    public void closeLogFile() {
        // nothing to close: SLF4J owns the output
    }

    @Override
    public void logMessage(SIPMessage message, String from, String to, boolean sender, long time) {
        logMessage(message, from, to, "", sender, time);
    }

    @Override
    public void logMessage(SIPMessage message, String from, String to, String status, boolean sender, long time) {
        if (log.isTraceEnabled()) {
            log.trace("[{}] {} {} -> {} {}\n{}", stackName, sender ? "sent" : "received", from, to, status, message.encode());
        }
    }

    @Override
    public void logMessage(SIPMessage message, String from, String to, String status, boolean sender) {
        logMessage(message, from, to, status, sender, System.currentTimeMillis());
    }

    @Override
    public void logException(Exception ex) {
        log.debug("[{}] {}", stackName, ex.toString(), ex);
    }

    @Override
    public void setStackProperties(Properties stackProperties) {
        stackName = stackProperties.getProperty("javax.sip.STACK_NAME", stackName);
    }

    @Override
    public void setSipStack(SipStack sipStack) {
        // not needed
    }
}
