package org.sigbridge.hub;

import java.util.Arrays;
import org.sigbridge.spi.Endpoint;

/**
 * An endpoint the hub knows (it subscribed or published), with the channels it subscribes to. The channels are a
 * copy-on-write array, changed holding this object's monitor and read lock-free: an endpoint subscribes to one channel
 * or a few, and a concurrent hash set per endpoint held about 0.2 KB of every idle connection (docs/benchmarks.md,
 * "Idle memory per socket.io session, session 12"). Thread-safe.
 */
final class Registration {

    private static final String[] NONE = new String[0];

    final Endpoint endpoint;
    private volatile String[] channels = NONE;

    Registration(Endpoint endpoint) {
        this.endpoint = endpoint;
    }

    /** Whether it subscribes to {@code channel}. Lock-free. */
    boolean subscribes(String channel) {
        return indexOf(channels, channel) >= 0;
    }

    /** Adds {@code channel}; false when it was there. */
    synchronized boolean add(String channel) {
        String[] current = channels;
        if (indexOf(current, channel) >= 0) {
            return false;
        }
        String[] next = Arrays.copyOf(current, current.length + 1);
        next[current.length] = channel;
        channels = next;
        return true;
    }

    /** Removes {@code channel}; false when it was not there. */
    synchronized boolean remove(String channel) {
        String[] current = channels;
        int i = indexOf(current, channel);
        if (i < 0) {
            return false;
        }
        String[] next = new String[current.length - 1];
        System.arraycopy(current, 0, next, 0, i);
        System.arraycopy(current, i + 1, next, i, current.length - i - 1);
        channels = next.length == 0 ? NONE : next;
        return true;
    }

    /** The channels it subscribed to, none left after. */
    synchronized String[] removeAll() {
        String[] current = channels;
        channels = NONE;
        return current;
    }

    private static int indexOf(String[] in, String channel) {
        for (int i = 0; i < in.length; i++) {
            if (in[i].equals(channel)) {
                return i;
            }
        }
        return -1;
    }
}
