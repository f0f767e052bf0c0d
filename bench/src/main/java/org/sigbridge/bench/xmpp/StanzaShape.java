package org.sigbridge.bench.xmpp;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;

import org.jivesoftware.smack.packet.MessageBuilder;
import org.jivesoftware.smack.packet.StandardExtensionElement;

/**
 * Which of a bridge stanza's extra elements (docs/design.md §4.2) a direct Smack client adds to its groupchat
 * body, so that the direct baseline can be measured with the bridge's stanza weight and each element's cost
 * read apart from the bridges' own hops: {@code signal} (the attributes-only {@code <signal/>} element with
 * channel, sender and id as a bridge sends them), {@code origin-id} (XEP-0359) and {@code no-store} (XEP-0334).
 *
 * @param signal   add {@code <signal xmlns="urn:sigbridge:signal:0" channel sender id/>}
 * @param originId add {@code <origin-id xmlns="urn:xmpp:sid:0" id/>}
 * @param noStore  add {@code <no-store xmlns="urn:xmpp:hints"/>}
 */
public record StanzaShape(boolean signal, boolean originId, boolean noStore) {
    /** A plain groupchat body, as the direct baseline has always sent. */
    public static final StanzaShape PLAIN = new StanzaShape(false, false, false);
    private static final List<String> PARTS = List.of("signal", "origin-id", "no-store");

    /**
     * Parses a comma-separated list of {@code signal}, {@code origin-id}, {@code no-store}, or {@code bridge} for
     * all three; empty is {@link #PLAIN}.
     *
     * @throws IllegalArgumentException naming the unknown part
     */
    public static StanzaShape parse(String list) {
        List<String> parts = Arrays.stream(list.split(",")).map(s -> s.trim().toLowerCase(Locale.ROOT))
                .filter(s -> !s.isEmpty()).toList();
        if (parts.contains("bridge")) {
            return new StanzaShape(true, true, true);
        }
        for (String part : parts) {
            if (!PARTS.contains(part)) {
                throw new IllegalArgumentException("unknown stanza part '" + part + "' (expected " + PARTS + " or bridge)");
            }
        }
        return new StanzaShape(parts.contains("signal"), parts.contains("origin-id"), parts.contains("no-store"));
    }

    public boolean plain() {
        return !signal && !originId && !noStore;
    }

    /** Adds the chosen elements to a message whose stanza id is {@code id}, for a client of {@code channel}. */
    void decorate(MessageBuilder message, String id, String channel, String sender) {
        if (signal) {
            message.addExtension(StandardExtensionElement.builder("signal", "urn:sigbridge:signal:0")
                    .addAttribute("channel", channel).addAttribute("sender", sender).addAttribute("id", id).build());
        }
        if (originId) {
            message.addExtension(StandardExtensionElement.builder("origin-id", "urn:xmpp:sid:0").addAttribute("id", id).build());
        }
        if (noStore) {
            message.addExtension(StandardExtensionElement.builder("no-store", "urn:xmpp:hints").build());
        }
    }

    /** {@code signal,origin-id,no-store}-style label for tables. */
    public String label() {
        if (plain()) {
            return "plain";
        }
        StringBuilder s = new StringBuilder();
        if (signal) {
            s.append("signal");
        }
        if (originId) {
            s.append(s.isEmpty() ? "" : "+").append("origin-id");
        }
        if (noStore) {
            s.append(s.isEmpty() ? "" : "+").append("no-store");
        }
        return s.toString();
    }
}
