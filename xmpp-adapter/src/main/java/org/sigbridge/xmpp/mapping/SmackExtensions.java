package org.sigbridge.xmpp.mapping;

import org.jivesoftware.smack.provider.ProviderManager;

/**
 * Registers the providers for the elements sigbridge reads ({@link SignalElement}, XEP-0359
 * {@link OriginIdElement}, which older bridges and native clients send) with Smack's process-wide {@link ProviderManager}. Idempotent and thread-safe.
 */
public final class SmackExtensions {

    private static volatile boolean registered;

    private SmackExtensions() {
    }

    /** Registers once per class loader; later calls return at once. */
    public static void register() {
        if (registered) {
            return;
        }
        synchronized (SmackExtensions.class) {
            if (!registered) {
                ProviderManager.addExtensionProvider(SignalElement.ELEMENT, SignalElement.NAMESPACE, new SignalElementProvider());
                ProviderManager.addExtensionProvider(OriginIdElement.ELEMENT, OriginIdElement.NAMESPACE, new OriginIdProvider());
                registered = true;
            }
        }
    }
}
