package org.sigbridge.web.socketio.sio;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.sigbridge.web.identity.SenderGuard;

/**
 * The connected namespace sockets of one Socket.IO session, in connect order, each with its identity rules: one array
 * of (namespace, member, guard) searched in order. A session connects one namespace (the root), rarely a few, so this
 * holds one small array where two linked hash maps held about 0.25 KB of every idle session (docs/benchmarks.md, "Idle
 * memory per socket.io session, session 12"). Not thread-safe: only the session's reader touches it ({@link SioConnection}).
 */
final class NamespaceSockets {

    private static final Object[] NONE = new Object[0];
    private static final int SLOT = 3;

    /** namespace, member, guard; namespace, member, guard; ... */
    private Object[] slots = NONE;

    /** The member connected on {@code nsp}, or {@code null}. */
    SocketFamily.Member member(String nsp) {
        int i = indexOf(nsp);
        return i < 0 ? null : (SocketFamily.Member) slots[i + 1];
    }

    /** The identity rules of the socket on {@code nsp}, or {@code null}. */
    SenderGuard guard(String nsp) {
        int i = indexOf(nsp);
        return i < 0 ? null : (SenderGuard) slots[i + 2];
    }

    boolean contains(String nsp) {
        return indexOf(nsp) >= 0;
    }

    /** Adds the socket connected on {@code nsp}, or replaces the one there. */
    void put(String nsp, SocketFamily.Member member, SenderGuard guard) {
        int i = indexOf(nsp);
        if (i < 0) {
            i = slots.length;
            slots = Arrays.copyOf(slots, i + SLOT);
            slots[i] = nsp;
        }
        slots[i + 1] = member;
        slots[i + 2] = guard;
    }

    /** Removes the socket on {@code nsp}; its member, or {@code null} when none was connected there. */
    SocketFamily.Member remove(String nsp) {
        int i = indexOf(nsp);
        if (i < 0) {
            return null;
        }
        SocketFamily.Member member = (SocketFamily.Member) slots[i + 1];
        Object[] next = new Object[slots.length - SLOT];
        System.arraycopy(slots, 0, next, 0, i);
        System.arraycopy(slots, i + SLOT, next, i, slots.length - i - SLOT);
        slots = next.length == 0 ? NONE : next;
        return member;
    }

    /** Every member, in connect order, and none left after. */
    List<SocketFamily.Member> removeAll() {
        List<SocketFamily.Member> members = new ArrayList<>(slots.length / SLOT);
        for (int i = 0; i < slots.length; i += SLOT) {
            members.add((SocketFamily.Member) slots[i + 1]);
        }
        slots = NONE;
        return members;
    }

    private int indexOf(String nsp) {
        for (int i = 0; i < slots.length; i += SLOT) {
            if (slots[i].equals(nsp)) {
                return i;
            }
        }
        return -1;
    }
}
