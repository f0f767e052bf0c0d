package org.sigbridge.bench.scenario;

/** Placeholder until the runner lands. */
public final class ScenarioMain {
    private ScenarioMain() {
    }

    public static void run(String[] args) {
        throw new IllegalArgumentException("scenarios: not implemented yet");
    }
}
