package org.sigbridge.support;

import org.slf4j.ILoggerFactory;
import org.slf4j.IMarkerFactory;
import org.slf4j.helpers.BasicMDCAdapter;
import org.slf4j.helpers.BasicMarkerFactory;
import org.slf4j.helpers.NOPLoggerFactory;
import org.slf4j.spi.MDCAdapter;
import org.slf4j.spi.SLF4JServiceProvider;

/**
 * The SLF4J provider of {@code bridge}'s own tests: loggers that discard, and SLF4J's own {@link BasicMDCAdapter}
 * so tests can read what the code put in the MDC. {@code bridge} depends on {@code slf4j-api} only, in every scope
 * ({@code mvn dependency:tree -pl bridge} shows no backend): with no provider at all SLF4J falls back to a no-op MDC,
 * and a test of MDC keys could not see them. Registered in the test class path's
 * {@code META-INF/services/org.slf4j.spi.SLF4JServiceProvider}, which the test-jar leaves out so other modules keep their own backend.
 */
public final class MdcOnlySlf4jProvider implements SLF4JServiceProvider {

    private final ILoggerFactory loggers = new NOPLoggerFactory();
    private final IMarkerFactory markers = new BasicMarkerFactory();
    private final MDCAdapter mdc = new BasicMDCAdapter();

    @Override
    public ILoggerFactory getLoggerFactory() {
        return loggers;
    }

    @Override
    public IMarkerFactory getMarkerFactory() {
        return markers;
    }

    @Override
    public MDCAdapter getMDCAdapter() {
        return mdc;
    }

    @Override
    public String getRequestedApiVersion() {
        return "2.0.99";
    }

    @Override
    public void initialize() {
    }
}
