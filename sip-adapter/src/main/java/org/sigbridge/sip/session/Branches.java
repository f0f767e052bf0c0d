package org.sigbridge.sip.session;

import java.util.concurrent.ThreadLocalRandom;

/** Fresh identifiers for SIP: Via branches (RFC 3261 §8.1.1.7), tags (§19.3) and Call-IDs (§8.1.1.4). */
public final class Branches {

    private Branches() {
    }

    /** A branch with the RFC 3261 magic cookie. */
    public static String branch() {
        return "z9hG4bK" + random(16);
    }

    /** A From or To tag. */
    public static String tag() {
        return random(10);
    }

    /** A Call-ID, globally unique with overwhelming probability. */
    public static String callId(String host) {
        return random(20) + "@" + host;
    }

    private static String random(int chars) {
        ThreadLocalRandom r = ThreadLocalRandom.current();
        StringBuilder sb = new StringBuilder(chars);
        for (int i = 0; i < chars; i++) {
            sb.append(Character.forDigit(r.nextInt(36), 36));
        }
        return sb.toString();
    }
}
