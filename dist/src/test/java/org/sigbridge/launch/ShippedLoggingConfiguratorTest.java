package org.sigbridge.launch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.joran.JoranConfigurator;
import ch.qos.logback.classic.spi.Configurator.ExecutionStatus;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.LoggingEvent;
import ch.qos.logback.core.Appender;
import ch.qos.logback.core.OutputStreamAppender;
import ch.qos.logback.core.encoder.Encoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The shipped logging without logback's XML configurator gives what {@code conf/logback.xml} gives through it: the same
 * levels, appender, encoder output, listeners; any other file is left to the XML configurator.
 */
class ShippedLoggingConfiguratorTest {

    private static final Path SHIPPED = repositoryRoot().resolve("conf/logback.xml");

    @Test
    void theDigestIsThatOfTheShippedFileAndOfItsCopyInTheJar() throws Exception {
        assertEquals(ShippedLoggingConfigurator.SHIPPED_SHA256, sha256(Files.readAllBytes(SHIPPED)),
                "conf/logback.xml changed: make ShippedLoggingConfigurator build the same, then update its digest");
        try (var in = ShippedLoggingConfigurator.class.getResourceAsStream("/logback.xml")) {
            assertEquals(ShippedLoggingConfigurator.SHIPPED_SHA256, sha256(in.readAllBytes()),
                    "dist/src/main/resources/logback.xml must be a copy of conf/logback.xml");
        }
    }

    @ParameterizedTest
    @CsvSource({"TEXT, INFO", "TEXT, DEBUG", "JSON, INFO", "JSON, WARN", "TEXT, NOSUCHLEVEL"})
    void configuresTheShippedFileAsLogbacksXmlConfiguratorDoes(String appender, String level) throws Exception {
        LoggerContext joran = context(appender, level);
        JoranConfigurator xml = new JoranConfigurator();
        xml.setContext(joran);
        xml.doConfigure(SHIPPED.toUri().toURL());

        LoggerContext shipped = context(appender, level);
        ShippedLoggingConfigurator configurator = new ShippedLoggingConfigurator();
        configurator.setContext(shipped);
        assertEquals(ExecutionStatus.DO_NOT_INVOKE_NEXT_IF_ANY, configurator.configure(shipped, SHIPPED.toUri().toURL()));

        assertEquals(levels(joran), levels(shipped));
        assertEquals(List.of(appender), appenders(joran).stream().map(Appender::getName).toList());
        assertEquals(describe(appenders(joran)), describe(appenders(shipped)));
        assertEquals(classes(joran.getCopyOfListenerList()), classes(shipped.getCopyOfListenerList()));
        assertEquals(classes(joran.getStatusManager().getCopyOfStatusListenerList()),
                classes(shipped.getStatusManager().getCopyOfStatusListenerList()));
        assertEquals(joran.getFrameworkPackages(), shipped.getFrameworkPackages());

        Encoder<ILoggingEvent> expected = encoder(joran);
        Encoder<ILoggingEvent> actual = encoder(shipped);
        for (LoggingEvent event : events(joran)) {
            assertEquals(new String(expected.encode(event), StandardCharsets.UTF_8), new String(actual.encode(event), StandardCharsets.UTF_8));
        }
        joran.stop();
        shipped.stop();
    }

    @Test
    void leavesAnyOtherFileToLogbacksXmlConfigurator(@TempDir Path dir) throws Exception {
        Path edited = Files.writeString(dir.resolve("logback.xml"),
                Files.readString(SHIPPED).replace("%d{HH:mm:ss.SSS} ", "%d{HH:mm:ss} "));
        LoggerContext context = context("TEXT", "INFO");
        ShippedLoggingConfigurator configurator = new ShippedLoggingConfigurator();
        configurator.setContext(context);

        assertEquals(ExecutionStatus.INVOKE_NEXT_IF_ANY, configurator.configure(context, edited.toUri().toURL()));
        assertEquals(ExecutionStatus.INVOKE_NEXT_IF_ANY, configurator.configure(context, dir.resolve("missing.xml").toUri().toURL()));
        assertEquals(ExecutionStatus.INVOKE_NEXT_IF_ANY, configurator.configure(context, null));
        assertFalse(context.getLogger(Logger.ROOT_LOGGER_NAME).iteratorForAppenders().hasNext(), "configured nothing");
        assertTrue(context.getCopyOfListenerList().isEmpty(), "configured nothing");
    }

    @Test
    void leavesAnAppenderNameTheFileDoesNotDefineToLogbacksXmlConfigurator() throws Exception {
        LoggerContext context = context("SYSLOG", "INFO");
        ShippedLoggingConfigurator configurator = new ShippedLoggingConfigurator();
        configurator.setContext(context);

        assertEquals(ExecutionStatus.INVOKE_NEXT_IF_ANY, configurator.configure(context, SHIPPED.toUri().toURL()));
        assertFalse(context.getLogger(Logger.ROOT_LOGGER_NAME).iteratorForAppenders().hasNext(), "configured nothing");
    }

    /** A fresh context whose properties stand for the system properties {@link LoggingSetup} sets. */
    private static LoggerContext context(String appender, String level) {
        LoggerContext context = new LoggerContext();
        context.setName("sigbridge-test");
        context.putProperty("sigbridge.log.appender", appender);
        context.putProperty("sigbridge.log.level", level);
        return context;
    }

    private static Map<String, String> levels(LoggerContext context) {
        Map<String, String> levels = new TreeMap<>();
        for (Logger logger : context.getLoggerList()) {
            if (logger.getLevel() != null) {
                levels.put(logger.getName(), logger.getLevel().toString());
            }
        }
        return levels;
    }

    private static List<Appender<ILoggingEvent>> appenders(LoggerContext context) {
        List<Appender<ILoggingEvent>> found = new ArrayList<>();
        context.getLogger(Logger.ROOT_LOGGER_NAME).iteratorForAppenders().forEachRemaining(found::add);
        return found;
    }

    private static List<String> describe(List<Appender<ILoggingEvent>> appenders) {
        return appenders.stream().map(a -> a.getName() + " " + a.getClass().getName() + " started=" + a.isStarted()
                + " encoder=" + ((OutputStreamAppender<ILoggingEvent>) a).getEncoder().getClass().getName()
                + " immediateFlush=" + ((OutputStreamAppender<ILoggingEvent>) a).isImmediateFlush()).toList();
    }

    private static Encoder<ILoggingEvent> encoder(LoggerContext context) {
        return ((OutputStreamAppender<ILoggingEvent>) appenders(context).get(0)).getEncoder();
    }

    private static List<String> classes(List<?> objects) {
        return objects.stream().map(o -> o.getClass().getName()).toList();
    }

    /** Events as the bridge logs them: plain, with arguments, with MDC keys, with an exception, a long logger name. */
    private static List<LoggingEvent> events(LoggerContext context) {
        Logger main = context.getLogger("org.sigbridge.launch.Main");
        Logger jetty = context.getLogger("org.eclipse.jetty.server.Server");
        Logger adapter = context.getLogger("org.sigbridge.xmpp.XmppAdapterWithAVeryLongName");
        List<LoggingEvent> events = List.of(
                new LoggingEvent("test", main, Level.INFO, "ready in {} ms", null, new Object[] {412}),
                new LoggingEvent("test", jetty, Level.WARN, "bad \"quoted\" {}", null, new Object[] {"x\ny"}),
                new LoggingEvent("test", adapter, Level.ERROR, "failed", new IllegalStateException("boom"), null),
                new LoggingEvent("test", adapter, Level.DEBUG, "with mdc", null, null));
        for (LoggingEvent e : events) {
            e.setMDCPropertyMap(e == events.get(3) ? new TreeMap<>(Map.of("adapter", "xmpp", "channel", "room-1", "envelope", "e-7")) : Map.of());
            e.setTimeStamp(1_765_000_000_123L);
            e.setThreadName("main");
        }
        return events;
    }

    private static String sha256(byte[] bytes) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    }

    private static Path repositoryRoot() {
        return Path.of(System.getProperty("basedir", System.getProperty("user.dir"))).toAbsolutePath().normalize().getParent();
    }
}
