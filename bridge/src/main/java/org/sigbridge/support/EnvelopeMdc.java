package org.sigbridge.support;

import org.sigbridge.envelope.Envelope;
import org.slf4j.MDC;

/**
 * The log keys of one envelope, {@code adapter}, {@code channel} and {@code envelope} (its id: one
 * correlation id from the browser frame to the XMPP stanza and the SIP request), put into SLF4J's MDC
 * around a block:
 *
 * <pre>{@code
 * try (EnvelopeMdc mdc = EnvelopeMdc.open(adapter, envelope)) {
 *     context.publishInbound(envelope);
 * }
 * }</pre>
 *
 * <p>{@link #close()} puts back what those keys held before (so blocks nest) and must run on the thread
 * that opened it; MDC is per thread. A {@code null} value leaves its key unset inside the block.
 */
public final class EnvelopeMdc implements AutoCloseable {

    public static final String ADAPTER = "adapter";
    public static final String CHANNEL = "channel";
    public static final String ENVELOPE = "envelope";

    private static final String[] KEYS = {ADAPTER, CHANNEL, ENVELOPE};

    private final String[] previous = new String[KEYS.length];

    private EnvelopeMdc(String... values) {
        for (int i = 0; i < KEYS.length; i++) {
            previous[i] = MDC.get(KEYS[i]);
            set(KEYS[i], values[i]);
        }
    }

    /** The keys of {@code envelope} as handled by the adapter named {@code adapter}. */
    public static EnvelopeMdc open(String adapter, Envelope envelope) {
        return new EnvelopeMdc(adapter, envelope.channel(), envelope.id());
    }

    /** The keys from their parts, for code that has no {@link Envelope} yet. */
    public static EnvelopeMdc open(String adapter, String channel, String envelopeId) {
        return new EnvelopeMdc(adapter, channel, envelopeId);
    }

    /** Restores the keys as they were before {@code open}. */
    @Override
    public void close() {
        for (int i = 0; i < KEYS.length; i++) {
            set(KEYS[i], previous[i]);
        }
    }

    private static void set(String key, String value) {
        if (value == null) {
            MDC.remove(key);
        } else {
            MDC.put(key, value);
        }
    }
}
