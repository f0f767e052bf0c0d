package org.sigbridge.launch;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.encoder.JsonEncoder;
import ch.qos.logback.classic.encoder.PatternLayoutEncoder;
import ch.qos.logback.classic.jul.LevelChangePropagator;
import ch.qos.logback.classic.spi.Configurator;
import ch.qos.logback.classic.spi.ConfiguratorRank;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.ConsoleAppender;
import ch.qos.logback.core.encoder.Encoder;
import ch.qos.logback.core.spi.ContextAwareBase;
import ch.qos.logback.core.spi.ScanException;
import ch.qos.logback.core.status.NopStatusListener;
import ch.qos.logback.core.util.ContextUtil;
import ch.qos.logback.core.util.OptionHelper;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.net.MalformedURLException;
import java.net.URL;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;

/**
 * The shipped {@code conf/logback.xml}, applied without logback's XML configurator (Joran, about 500 classes and
 * the JDK's XML parser at every start; docs/operations.md, "Start-up"). Logback calls it first, through the
 * {@link Configurator} service, on the thread that creates the first logger ({@code Main}, after the config is read),
 * before its own configurators.
 *
 * <p>It acts only when the file logback would read is, byte for byte, the shipped one: the file named by
 * {@code -Dlogback.configurationFile} (as {@code bin/sigbridge}, the systemd unit and the Docker image pass
 * {@code conf/logback.xml} or its copy), else {@code logback-test.xml} or {@code logback.xml} on the class path (the
 * copy in the jar), looked up in logback's own order. Then it builds what that file builds: the TEXT or JSON console
 * appender named by {@code sigbridge.log.appender}, the root level {@code sigbridge.log.level} (both set by
 * {@link LoggingSetup}; defaults TEXT and INFO), WARN for the chatty third-party packages, the level propagation to
 * java.util.logging and the silent status listener. Any other file (an operator's own, or an edited copy), or an
 * appender name the file does not define, goes to logback's XML configurator exactly as before. {@code
 * ShippedLoggingConfiguratorTest} pins that both give the same result for the shipped file; {@link #SHIPPED_SHA256}
 * changes with the file.
 */
@ConfiguratorRank(ConfiguratorRank.CUSTOM_HIGH_PRIORITY)
public final class ShippedLoggingConfigurator extends ContextAwareBase implements Configurator {

    /** SHA-256 of {@code conf/logback.xml} (and of its copy in the jar) as shipped. */
    static final String SHIPPED_SHA256 = "3feeeb023bdb48f543a796c075f7d83e8c53576fe6d5afe870ed09e24eb0a83b";
    /** The TEXT appender's pattern in {@code conf/logback.xml}. */
    static final String TEXT_PATTERN = "%d{HH:mm:ss.SSS} %-5level %-14.14logger{0} %msg%replace( [%mdc]){' \\[\\]', ''}%n";
    /** The {@code <logger name=… level="WARN"/>} lines of {@code conf/logback.xml}, in its order. */
    static final List<String> QUIET_PACKAGES = List.of("org.eclipse.jetty", "org.jivesoftware", "gov.nist", "org.openqa");

    private static final long MAX_CONFIG_BYTES = 1 << 20;

    /** For {@link java.util.ServiceLoader}. */
    public ShippedLoggingConfigurator() {
    }

    @Override
    public ExecutionStatus configure(LoggerContext context) {
        return configure(context, configurationUrl());
    }

    /** As {@link #configure(LoggerContext)} when logback would read {@code url} ({@code null}: no file). */
    ExecutionStatus configure(LoggerContext context, URL url) {
        if (url == null || !SHIPPED_SHA256.equals(sha256(url))) {
            return ExecutionStatus.INVOKE_NEXT_IF_ANY;
        }
        String appender;
        String level;
        try {
            appender = OptionHelper.substVars("${sigbridge.log.appender:-TEXT}", context);
            level = OptionHelper.substVars("${sigbridge.log.level:-INFO}", context);
        } catch (ScanException e) {
            return ExecutionStatus.INVOKE_NEXT_IF_ANY;
        }
        if (!appender.equals("TEXT") && !appender.equals("JSON")) {
            return ExecutionStatus.INVOKE_NEXT_IF_ANY; // logback reports the missing appender in its own words
        }
        apply(context, appender, level);
        return ExecutionStatus.DO_NOT_INVOKE_NEXT_IF_ANY;
    }

    /** What {@code conf/logback.xml} builds, in the order its elements come. */
    static void apply(LoggerContext context, String appenderName, String level) {
        new ContextUtil(context).addGroovyPackages(context.getFrameworkPackages()); // as <configuration> does
        NopStatusListener quiet = new NopStatusListener();
        context.getStatusManager().add(quiet);

        LevelChangePropagator propagator = new LevelChangePropagator();
        propagator.setContext(context);
        propagator.setResetJUL(true);
        propagator.start();
        context.addListener(propagator);

        ConsoleAppender<ILoggingEvent> appender = new ConsoleAppender<>();
        appender.setContext(context);
        appender.setName(appenderName);
        appender.setEncoder(appenderName.equals("JSON") ? jsonEncoder(context) : textEncoder(context));
        appender.start();

        for (String name : QUIET_PACKAGES) {
            context.getLogger(name).setLevel(Level.WARN);
        }
        ch.qos.logback.classic.Logger root = context.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
        if (!OptionHelper.isNullOrEmptyOrAllSpaces(level)) {
            root.setLevel(Level.toLevel(level)); // as <root level=…>: an unknown name means DEBUG
        }
        root.addAppender(appender);
    }

    private static Encoder<ILoggingEvent> textEncoder(LoggerContext context) {
        PatternLayoutEncoder encoder = new PatternLayoutEncoder();
        encoder.setContext(context);
        encoder.setPattern(TEXT_PATTERN);
        encoder.start();
        return encoder;
    }

    private static Encoder<ILoggingEvent> jsonEncoder(LoggerContext context) {
        JsonEncoder encoder = new JsonEncoder();
        encoder.setContext(context);
        encoder.setWithFormattedMessage(true);
        encoder.setWithMessage(false);
        encoder.setWithArguments(false);
        encoder.setWithSequenceNumber(false);
        encoder.setWithNanoseconds(false);
        // <withContextMap> names no property of this logback's JsonEncoder: its XML configurator ignores it (quietly).
        encoder.start();
        return encoder;
    }

    /**
     * The file logback's default configurator would read, found the way it finds it: {@code logback.configurationFile}
     * as a URL, a class path resource or a file; else {@code logback-test.xml}, else {@code logback.xml}.
     */
    private URL configurationUrl() {
        ClassLoader loader = ShippedLoggingConfigurator.class.getClassLoader();
        String property = OptionHelper.getSystemProperty("logback.configurationFile");
        if (property != null) {
            try {
                return new URL(property);
            } catch (MalformedURLException notUrl) {
                URL resource = loader.getResource(property);
                if (resource != null) {
                    return resource;
                }
                File file = new File(property);
                if (file.isFile()) {
                    try {
                        return file.toURI().toURL();
                    } catch (MalformedURLException e) {
                        // as logback: go on with the class path
                    }
                }
            }
        }
        URL test = loader.getResource("logback-test.xml");
        return test != null ? test : loader.getResource("logback.xml");
    }

    /** Hex SHA-256 of what {@code url} holds, or "" when it cannot be read (then logback reads and reports it). */
    private String sha256(URL url) {
        try (InputStream in = url.openStream()) {
            byte[] bytes = in.readNBytes((int) MAX_CONFIG_BYTES);
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (IOException | NoSuchAlgorithmException e) {
            addInfo("cannot read " + url + " (" + e + "); leaving it to the XML configurator");
            return "";
        }
    }
}
