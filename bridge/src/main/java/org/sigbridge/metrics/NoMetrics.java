package org.sigbridge.metrics;

import java.util.List;

/** {@link Metrics#none()}: every call is a no-op. */
final class NoMetrics implements Metrics {

    static final NoMetrics INSTANCE = new NoMetrics();

    private static final Cell CELL = () -> {
    };
    private static final Counter COUNTER = labelValues -> CELL;
    private static final Timer TIMER = nanos -> {
    };
    private static final Registration REGISTRATION = () -> {
    };

    private NoMetrics() {
    }

    @Override
    public Counter counter(String name, String help, String... labelNames) {
        return COUNTER;
    }

    @Override
    public Timer timer(String name, String help, double... upperBoundsSeconds) {
        return TIMER;
    }

    @Override
    public Registration gauges(String name, String help, List<String> labelNames, Sampler sampler) {
        return REGISTRATION;
    }

    @Override
    public Registration counters(String name, String help, List<String> labelNames, Sampler sampler) {
        return REGISTRATION;
    }
}
