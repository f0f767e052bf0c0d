package org.sigbridge.launch;

import org.sigbridge.config.LoggingSettings;
import org.slf4j.bridge.SLF4JBridgeHandler;

/**
 * Applies {@code logging:} before the first logger is created: {@code conf/logback.xml} (or the copy in
 * the jar) reads the appender and level from these system properties. Routes java.util.logging (Smack,
 * Jetty's JUL users) to SLF4J.
 */
final class LoggingSetup {

    private LoggingSetup() {
    }

    static void apply(LoggingSettings settings) {
        System.setProperty("sigbridge.log.appender", settings.format().equals("json") ? "JSON" : "TEXT");
        System.setProperty("sigbridge.log.level", settings.level().toUpperCase(java.util.Locale.ROOT));
        SLF4JBridgeHandler.removeHandlersForRootLogger();
        SLF4JBridgeHandler.install();
    }
}
