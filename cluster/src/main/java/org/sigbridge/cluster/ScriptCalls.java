package org.sigbridge.cluster;

import io.lettuce.core.RedisFuture;
import io.lettuce.core.ScriptOutputType;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import org.sigbridge.cluster.wire.Scripts;

/**
 * The {@link Appender}'s items as script calls on the command connection ({@link Scripts}): an envelope's append, a
 * membership change; a barrier sends nothing. Each append carries the time after which it must not run (on Redis's
 * clock, {@link RedisClock}), as {@link Expiry} sets it for a try of an append that may be in doubt. Called by whoever
 * holds the appender's turn (its thread, or a hub thread sending an append itself); Lettuce only queues each call for
 * its event loop, so this never blocks.
 */
final class ScriptCalls {

    private static final SecureRandom RANDOM = new SecureRandom();

    private final RedisLink link;
    private final String instance;
    private final RedisClock redisClock;
    private final Expiry expiry;

    ScriptCalls(RedisLink link, String instance, RedisClock redisClock, Expiry expiry) {
        this.link = link;
        this.instance = instance;
        this.redisClock = redisClock;
        this.expiry = expiry;
    }

    /** Sends the items pipelined, without waiting; returns their answers, one per item ({@code null} for a barrier). */
    List<RedisFuture<Object>> send(List<Outbound> batch) {
        RedisClusterSettings s = link.settings();
        List<RedisFuture<Object>> futures = new ArrayList<>(batch.size());
        var async = link.async();
        // Not run after the answer's wait ends (the appender's collect): a try that Redis runs later (it stalled)
        // appends nothing, so what is sent again or given up after that wait cannot also be appended by that try.
        long notAfter = redisClock.in(s.commandTimeout().toMillis());
        for (Outbound item : batch) {
            if (item instanceof Outbound.Frame a) {
                String[] keys = {a.keys().meta(), a.keys().log(), a.keys().idKey(a.id())};
                Fence.Mark fence = a.fence().mark();
                futures.add(async.eval(Scripts.APPEND, ScriptOutputType.MULTI, keys, a.body(), instance,
                        String.valueOf(s.logLength()), String.valueOf(s.logAge().toMillis()), a.keys().subject(), newEpoch(),
                        String.valueOf(s.outboundMaxAge().multipliedBy(2).plus(s.commandTimeout()).toMillis()),
                        fence.epoch(), String.valueOf(fence.offset()), a.tail().expected(),
                        String.valueOf(expiry.notAfter(a, notAfter))));
            } else if (item instanceof Outbound.Barrier) {
                futures.add(null); // nothing to send: reached once every item before it is done
            } else if (item instanceof Outbound.Member m) {
                futures.add(async.eval(Scripts.MEMBER, ScriptOutputType.INTEGER, new String[] {m.keys().who()},
                        String.valueOf(m.kind()), m.field(), m.body(), m.keys().subject(), instance,
                        String.valueOf(s.lease().multipliedBy(4).toMillis())));
            }
        }
        return futures;
    }

    /** A fresh random epoch (48 bits, hex). Any thread. */
    static String newEpoch() {
        byte[] b = new byte[6];
        RANDOM.nextBytes(b);
        return HexFormat.of().formatHex(b);
    }
}
