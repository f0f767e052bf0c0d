package org.sigbridge.testkit.junit;

import java.util.function.Supplier;

import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Starts a peer before the tests and closes it after them. JUnit calls {@code beforeAll}/{@code afterAll}
 * only for extensions in static fields, so a static field gives one peer per class (started once, also
 * shared by {@code @Nested} classes) and an instance field one peer per test.
 *
 * @param <T> the peer type
 */
abstract class PeerExtension<T extends AutoCloseable>
        implements BeforeAllCallback, AfterAllCallback, BeforeEachCallback, AfterEachCallback {
    private final Supplier<T> factory;
    private T peer;
    private String ownerId;

    PeerExtension(Supplier<T> factory) {
        this.factory = factory;
    }

    /** The started peer. Only valid between the callbacks, i.e. inside tests and lifecycle methods. */
    final T peer() {
        if (peer == null) {
            throw new IllegalStateException(getClass().getSimpleName()
                    + " has no peer here; register it with @RegisterExtension and use it inside tests");
        }
        return peer;
    }

    @Override
    public final void beforeAll(ExtensionContext context) {
        startFor(context);
    }

    @Override
    public final void beforeEach(ExtensionContext context) {
        startFor(context);
    }

    @Override
    public final void afterEach(ExtensionContext context) throws Exception {
        stopFor(context);
    }

    @Override
    public final void afterAll(ExtensionContext context) throws Exception {
        stopFor(context);
    }

    private void startFor(ExtensionContext context) {
        if (peer == null) {
            peer = factory.get();
            ownerId = context.getUniqueId();
        }
    }

    private void stopFor(ExtensionContext context) throws Exception {
        if (peer != null && context.getUniqueId().equals(ownerId)) {
            T closing = peer;
            peer = null;
            ownerId = null;
            closing.close();
        }
    }
}
