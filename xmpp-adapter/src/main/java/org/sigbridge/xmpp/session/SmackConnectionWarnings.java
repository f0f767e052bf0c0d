package org.sigbridge.xmpp.session;

import java.util.concurrent.atomic.AtomicBoolean;
import java.util.logging.Filter;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Moves Smack's "Connection … closed with error" warning to DEBUG. Smack 4.4 logs it through
 * {@code java.util.logging} at WARNING, with the full stack trace (about 45 lines for a refused certificate),
 * every time a connection attempt fails; the session already reports each failure as one line in the leg state
 * ({@link LoginFailure}), which the bridge logs and {@code /readyz} shows. The record, stack trace included, is
 * logged once at DEBUG on logger {@code org.sigbridge.xmpp.session.SmackConnectionWarnings}; every other Smack
 * record passes untouched (docs/library-assumptions.md#smack-warnings).
 *
 * <p>A filter on that one JUL logger, installed once per JVM by the first XMPP adapter that starts; the logger is
 * held here, so the filter cannot be lost to JUL's weak references. Any thread.
 */
public final class SmackConnectionWarnings {

    /** The logger of Smack's {@code AbstractXMPPConnection}. */
    static final String SMACK_LOGGER = "org.jivesoftware.smack.AbstractXMPPConnection";
    private static final java.util.logging.Logger SMACK = java.util.logging.Logger.getLogger(SMACK_LOGGER);
    private static final Logger log = LoggerFactory.getLogger(SmackConnectionWarnings.class);
    private static final AtomicBoolean INSTALLED = new AtomicBoolean();

    private SmackConnectionWarnings() {
    }

    /** Installs the filter (idempotent), keeping any filter that was there before for every other record. */
    public static void install() {
        if (!INSTALLED.compareAndSet(false, true)) {
            return;
        }
        Filter previous = SMACK.getFilter();
        SMACK.setFilter(record -> {
            if (isConnectionClosedWarning(record)) {
                log.debug("smack: {}", record.getMessage(), record.getThrown());
                return false;
            }
            return previous == null || previous.isLoggable(record);
        });
    }

    static boolean isConnectionClosedWarning(LogRecord record) {
        return record.getLevel() == Level.WARNING && record.getMessage() != null && record.getMessage().endsWith("closed with error");
    }
}
