package org.sigbridge.testing.fuzz;

import net.jqwik.api.lifecycle.AroundPropertyHook;
import net.jqwik.api.lifecycle.PropertyExecutionResult;
import net.jqwik.api.lifecycle.PropertyExecutor;
import net.jqwik.api.lifecycle.PropertyLifecycleContext;

/**
 * Lets the system property {@code sigbridge.fuzz.tries} override the tries of every property that adds this hook
 * ({@code @AddLifecycleHook(FuzzTries.class)}): the normal suite runs each property's own count, the long run
 * (docs/reliability.md) raises them all with {@code -Dsigbridge.fuzz.tries=1000000}. Maven passes {@code -D} user
 * properties on to the forked test JVM. Read when each property starts.
 */
public final class FuzzTries implements AroundPropertyHook {

    /** The system property that overrides the tries. */
    public static final String PROPERTY = "sigbridge.fuzz.tries";

    @Override
    public PropertyExecutionResult aroundProperty(PropertyLifecycleContext context, PropertyExecutor property) {
        String tries = System.getProperty(PROPERTY);
        if (tries != null && !tries.isBlank()) {
            context.attributes().setTries(Integer.parseInt(tries.trim()));
        }
        return property.execute();
    }
}
