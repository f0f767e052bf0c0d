package org.sigbridge.hub;

import java.security.SecureRandom;

/** Random node ids for hubs: ten characters of {@code [a-z0-9]} (about 51 bits), drawn once per hub. */
final class NodeIds {

    private static final String ALPHABET = "abcdefghijklmnopqrstuvwxyz0123456789";
    private static final SecureRandom RANDOM = new SecureRandom();

    private NodeIds() {
    }

    static String random() {
        char[] out = new char[10];
        for (int i = 0; i < out.length; i++) {
            out[i] = ALPHABET.charAt(RANDOM.nextInt(ALPHABET.length()));
        }
        return new String(out);
    }
}
