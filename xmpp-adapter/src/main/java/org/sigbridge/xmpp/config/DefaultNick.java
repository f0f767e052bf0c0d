package org.sigbridge.xmpp.config;

import java.security.SecureRandom;
import java.util.Locale;

/**
 * The bridge occupant's nick when the config names none (conf/reference/xmpp.md, {@code nick}): the configured
 * {@code nick}; else a {@code bridge.name} the operator chose; else, for the built-in name {@code sigbridge}
 * (whether defaulted or written out, as the shipped examples do), {@code sigbridge-} and four characters of this
 * process's node id, so two instances started from one file sit in a room as two occupants instead of sharing
 * one nick (XEP-0045 lets one account's sessions share a nick without a conflict; docs/quickstart-xmpp.md).
 * Pure and thread-safe; the result is computed once when the adapter starts and kept for the process lifetime.
 */
public final class DefaultNick {

    /** The bridge name that says nothing about the instance: {@code bridge.name}'s default. */
    public static final String BUILT_IN_NAME = "sigbridge";

    private static final int SUFFIX_CHARS = 4;
    private static final String ALPHABET = "abcdefghijklmnopqrstuvwxyz0123456789";
    private static final SecureRandom RANDOM = new SecureRandom();

    private DefaultNick() {
    }

    /**
     * @param configuredNick the {@code nick} key, or null when unset
     * @param bridgeName     {@code bridge.name}
     * @param nodeId         this process's random node id (the hub's); when it is no more than the bridge name
     *                       (a context without node ids), a random suffix is drawn instead
     * @return the nick to join rooms with
     */
    public static String of(String configuredNick, String bridgeName, String nodeId) {
        if (configuredNick != null) {
            return configuredNick;
        }
        if (!BUILT_IN_NAME.equals(bridgeName)) {
            return bridgeName;
        }
        return BUILT_IN_NAME + "-" + suffix(nodeId == null || nodeId.equals(bridgeName) ? "" : nodeId);
    }

    private static String suffix(String nodeId) {
        StringBuilder s = new StringBuilder(SUFFIX_CHARS);
        for (char c : nodeId.toLowerCase(Locale.ROOT).toCharArray()) {
            if (s.length() < SUFFIX_CHARS && ALPHABET.indexOf(c) >= 0) {
                s.append(c);
            }
        }
        while (s.length() < SUFFIX_CHARS) {
            s.append(ALPHABET.charAt(RANDOM.nextInt(ALPHABET.length())));
        }
        return s.toString();
    }
}
