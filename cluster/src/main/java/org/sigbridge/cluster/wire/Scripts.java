package org.sigbridge.cluster.wire;

/**
 * The Lua scripts, run with {@code EVAL} (Redis caches them by digest; sending the text each time means a restarted
 * Redis never answers {@code NOSCRIPT} in the middle of an ordered batch). Each runs atomically, so append, numbering
 * and publish are one step per channel (docs/cluster.md).
 */
public final class Scripts {

    private Scripts() {
    }

    /**
     * Appends one envelope. KEYS: meta, log, id key. ARGV: body, instance, log length, log age (ms), subject, a fresh
     * epoch (used when the channel has none), id key age (ms), the epoch and offset the appending instance has seen
     * (its fence; empty and 0 when none), the epoch the appending instance expects the channel in (empty: any), the
     * time after which it must not run (ms since the epoch on Redis's clock, {@code TIME}; empty: none).
     * Returns {@code {epoch, offset, fresh, fenced, old top, moved}}.
     * <ul>
     *   <li>Run after its time (it waited in a stalled Redis longer than its sender waits for an answer), it appends
     *       nothing: the instance sent it again or gave it up and told its sender, and a late run must not append what
     *       the sender was told is not shared (docs/cluster.md §6). It answers whether the envelope is in the channel's
     *       log all the same: when an earlier try appended it in the current epoch (the id key), as a retry below
     *       ({@code fresh} 0); else {@code moved} is 2 ("late": not appended, and no try carrying this time or an
     *       earlier one can append it any more). So a try sent with a time that already passed only asks whether an
     *       earlier try, whose answer was lost, ran (the appender's probe of an append in doubt).</li>
     *   <li>A channel without meta (new, expired, or a Redis that came back empty) starts a new epoch at offset 1, and
     *       so does one whose top offset is below the fence under the same epoch ({@code fenced} 1: its log was rolled
     *       back, e.g. a failover to a replica that had missed writes; numbering on would reuse offsets receivers
     *       already delivered).</li>
     *   <li>When an expected epoch is given and the channel is not in it (another epoch, or one of those two cases),
     *       nothing is appended and {@code moved} is 1 (with the epoch Redis holds, empty when none, and
     *       {@code fenced} 1 when that epoch was rolled back): the instance first appends
     *       again what it retained of the old epoch (the tail replay, docs/cluster.md §6), so its order is kept.</li>
     *   <li>A retry of an envelope already appended in this epoch (the id key holds {@code <epoch> <offset>}) returns
     *       its first offset with {@code fresh} 0 and publishes nothing; an id key of an earlier epoch does not count.</li>
     * </ul>
     */
    public static final String APPEND = """
            if ARGV[11] ~= '' then
              local now = redis.call('TIME')
              if tonumber(now[1]) * 1000 + math.floor(tonumber(now[2]) / 1000) > tonumber(ARGV[11]) then
                local current = redis.call('HGET', KEYS[1], 'e')
                local ran = redis.call('GET', KEYS[3])
                if current and ran then
                  local space = string.find(ran, ' ', 1, true)
                  if space and string.sub(ran, 1, space - 1) == current then
                    return {current, tonumber(string.sub(ran, space + 1)), 0, 0, tonumber(redis.call('HGET', KEYS[1], 't') or '0'), 0}
                  end
                end
                return {'', 0, 0, 0, 0, 2}
              end
            end
            local epoch = redis.call('HGET', KEYS[1], 'e')
            local held = epoch or ''
            local fenced = 0
            local was = tonumber(redis.call('HGET', KEYS[1], 't') or '0')
            if epoch and epoch == ARGV[8] and was < tonumber(ARGV[9]) then
              epoch = false
              fenced = 1
            end
            if ARGV[10] ~= '' and epoch ~= ARGV[10] then
              return {held, 0, 0, fenced, was, 1}
            end
            if not epoch then
              epoch = ARGV[6]
              redis.call('DEL', KEYS[2])
              redis.call('HSET', KEYS[1], 'e', epoch, 't', 0)
            end
            local seen = redis.call('GET', KEYS[3])
            if seen then
              local space = string.find(seen, ' ', 1, true)
              if space and string.sub(seen, 1, space - 1) == epoch then
                return {epoch, tonumber(string.sub(seen, space + 1)), 0, fenced, was, 0}
              end
            end
            local top = redis.call('HINCRBY', KEYS[1], 't', 1)
            local frame = 'E ' .. ARGV[2] .. ' ' .. epoch .. ' ' .. top .. '\\n' .. ARGV[1]
            redis.call('XADD', KEYS[2], 'MAXLEN', ARGV[3], top .. '-0', 'f', frame)
            redis.call('PEXPIRE', KEYS[2], ARGV[4])
            redis.call('PEXPIRE', KEYS[1], ARGV[4])
            redis.call('SET', KEYS[3], epoch .. ' ' .. top, 'PX', ARGV[7])
            redis.call('PUBLISH', ARGV[5], frame)
            return {epoch, top, 1, fenced, was, 0}
            """;

    /**
     * Starts a new epoch for a channel whose log was rolled back under its epoch, found by a receiver (its top offset
     * is below what the receiver delivered: a failover to a replica that missed writes, an AOF that lost its last
     * second). KEYS: meta, log. ARGV: the epoch and offset the receiver delivered up to, a fresh epoch, log age (ms).
     * Returns {@code {new epoch, old top}}, or an empty list when the channel is no longer rolled back under that epoch
     * (another instance started a new one first). Every instance then appends again what it retained of the old log
     * (docs/cluster.md §6).
     */
    public static final String ROLL = """
            local epoch = redis.call('HGET', KEYS[1], 'e')
            local top = tonumber(redis.call('HGET', KEYS[1], 't') or '0')
            if epoch and epoch == ARGV[1] and top < tonumber(ARGV[2]) then
              redis.call('DEL', KEYS[2])
              redis.call('HSET', KEYS[1], 'e', ARGV[3], 't', 0)
              redis.call('PEXPIRE', KEYS[1], ARGV[4])
              return {ARGV[3], top}
            end
            return {}
            """;

    /**
     * A participant joined ({@code J}) or left ({@code L}) on this instance. KEYS: who. ARGV: kind, field, body,
     * subject, instance, who age (ms). Sets or deletes the field and publishes the frame.
     */
    public static final String MEMBER = """
            if ARGV[1] == 'J' then
              redis.call('HSET', KEYS[1], ARGV[2], ARGV[3])
            else
              redis.call('HDEL', KEYS[1], ARGV[2])
            end
            if redis.call('EXISTS', KEYS[1]) == 1 then
              redis.call('PEXPIRE', KEYS[1], ARGV[6])
            end
            redis.call('PUBLISH', ARGV[4], ARGV[1] .. ' ' .. ARGV[5] .. '\\n' .. ARGV[3])
            return 1
            """;
}
