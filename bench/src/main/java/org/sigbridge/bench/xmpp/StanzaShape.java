package org.sigbridge.bench.xmpp;

import java.util.ArrayList;
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
 * <p>Named shapes: {@code bridge} is what this build's bridge sends by default, {@code signal+no-store};
 * {@code bridge-auto} what it sends with {@code no-store: auto} to the bench's room (a Prosody room that does not
 * archive): {@code signal} alone; {@code bridge-s10} is the form bridges sent up to session 10,
 * {@code signal+origin-id+no-store}.
 *
 * @param signal   add {@code <signal xmlns="urn:sigbridge:signal:0" channel sender id/>}
 * @param originId add {@code <origin-id xmlns="urn:xmpp:sid:0" id/>}
 * @param noStore  add {@code <no-store xmlns="urn:xmpp:hints"/>}
 */
public record StanzaShape(boolean signal, boolean originId, boolean noStore) {
    /** A plain groupchat body, as the direct baseline has always sent. */
    public static final StanzaShape PLAIN = new StanzaShape(false, false, false);
    /** What this build's bridge sends by default ({@code no-store: always}). */
    public static final StanzaShape BRIDGE = new StanzaShape(true, false, true);
    /** What this build's bridge sends with {@code no-store: auto} to a room that does not archive. */
    public static final StanzaShape BRIDGE_AUTO = new StanzaShape(true, false, false);
    /** What bridges sent up to session 10 (docs/benchmarks.md {@code quiet-s10-xmpp}). */
    public static final StanzaShape BRIDGE_S10 = new StanzaShape(true, true, true);
    private static final List<String> PARTS = List.of("signal", "origin-id", "no-store");

    /**
     * Parses one shape: {@code signal}, {@code origin-id}, {@code no-store} joined by {@code +} or {@code ,}, or
     * {@code bridge}, {@code bridge-auto} or {@code bridge-s10}; empty is {@link #PLAIN}.
     *
     * @throws IllegalArgumentException naming the unknown part
     */
    public static StanzaShape parse(String shape) {
        List<String> parts = Arrays.stream(shape.split("[,+]")).map(s -> s.trim().toLowerCase(Locale.ROOT))
                .filter(s -> !s.isEmpty()).toList();
        if (parts.equals(List.of("bridge"))) {
            return BRIDGE;
        }
        if (parts.equals(List.of("bridge-s10"))) {
            return BRIDGE_S10;
        }
        if (parts.equals(List.of("bridge-auto"))) {
            return BRIDGE_AUTO;
        }
        for (String part : parts) {
            if (!PARTS.contains(part)) {
                throw new IllegalArgumentException("unknown stanza part '" + part + "' (expected " + PARTS
                        + " joined by +, or bridge, bridge-auto or bridge-s10)");
            }
        }
        return new StanzaShape(parts.contains("signal"), parts.contains("origin-id"), parts.contains("no-store"));
    }

    /**
     * Parses several shapes separated by {@code /} (e.g. {@code bridge/bridge-s10/signal+no-store}), each as
     * {@link #parse}; plain ones and repeats are left out.
     */
    public static List<StanzaShape> parseAll(String list) {
        List<StanzaShape> shapes = new ArrayList<>();
        for (String one : list.split("/")) {
            StanzaShape shape = parse(one);
            if (!shape.plain() && !shapes.contains(shape)) {
                shapes.add(shape);
            }
        }
        return List.copyOf(shapes);
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

    /** {@code bridge}, {@code bridge-auto}, {@code bridge-s10} or {@code signal+origin-id+no-store}-style label for tables and columns. */
    public String label() {
        if (equals(BRIDGE)) {
            return "bridge";
        }
        if (equals(BRIDGE_S10)) {
            return "bridge-s10";
        }
        if (equals(BRIDGE_AUTO)) {
            return "bridge-auto";
        }
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
