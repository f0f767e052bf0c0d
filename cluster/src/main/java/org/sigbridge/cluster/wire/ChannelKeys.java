package org.sigbridge.cluster.wire;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.Base64;
import java.util.Objects;

/**
 * The Redis names of one channel. The channel's key {@code k} is base64url of the first 128 bits of SHA-256 of its
 * UTF-8 name (22 characters): any channel name, however long or odd, makes a short, safe key; the exact name travels
 * in each envelope and is checked on receipt. Every key carries {@code {k}} as a hash tag, so one channel's keys share
 * a Redis Cluster slot.
 *
 * @param channel the channel name
 * @param meta    hash: {@code e} the epoch, {@code t} the top offset
 * @param log     stream: entry id {@code <offset>-0}, field {@code f} the frame
 * @param who     hash: field {@code <instance> <endpoint id>}, value the participant
 * @param subject the live pub/sub subject
 * @param idPrefix the prefix of the per-envelope idempotency keys
 */
public record ChannelKeys(String channel, String meta, String log, String who, String subject, String idPrefix) {

    public ChannelKeys {
        Objects.requireNonNull(channel, "channel");
    }

    /** The names of {@code channel} under {@code prefix}. Pure. */
    public static ChannelKeys of(String prefix, String channel) {
        String k = hash(channel);
        String tag = prefix + ":{" + k + "}:";
        return new ChannelKeys(channel, tag + "meta", tag + "log", tag + "who", prefix + ":ch:" + k, tag + "id:");
    }

    /** The idempotency key of one envelope on this channel. */
    public String idKey(String envelopeId) {
        return idPrefix + envelopeId;
    }

    /**
     * The hash of the instances' delivered-through watermarks on this channel: field {@code <instance>}, value
     * {@code <epoch> <offset>}, the highest log offset that instance's receiver has handled (docs/cluster.md §5).
     */
    public String watermarks() {
        return meta.substring(0, meta.length() - "meta".length()) + "wm";
    }

    /** The instance lease key. */
    public static String lease(String prefix, String instance) {
        return prefix + ":inst:" + instance;
    }

    /** The subject an instance listens on for notices addressed to it (an addressed envelope's recipient was gone). */
    public static String control(String prefix, String instance) {
        return prefix + ":ctl:" + instance;
    }

    static String hash(String channel) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(channel.getBytes(StandardCharsets.UTF_8));
            return Base64.getUrlEncoder().withoutPadding().encodeToString(Arrays.copyOf(digest, 16));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JVM", e);
        }
    }
}
