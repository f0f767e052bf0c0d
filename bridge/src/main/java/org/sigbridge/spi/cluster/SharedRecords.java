package org.sigbridge.spi.cluster;

import java.time.Duration;
import java.util.Collection;
import java.util.Optional;
import java.util.concurrent.CompletionStage;

/**
 * Short-lived records that every instance of a cluster can read: what a client that may come back to another instance
 * needs there (socket.io recovery sessions, seed-dialect checkpoints; docs/design.md §3.8, docs/cluster.md §2). Each
 * record expires after its time to live; nothing here is durable beyond that. Keys are the caller's (a short kind
 * prefix and an id); the layer puts them under its key prefix.
 *
 * <p>Every method may be called from any thread and never blocks: the stage completes on a thread of the layer within
 * its command timeout, exceptionally when the engine cannot be reached (a caller then does without, as on one
 * instance). Callers must not wait on a stage on a thread that serves clients.
 */
public interface SharedRecords {

    /** Stores {@code value} under {@code key} for {@code ttl}, replacing what was there. */
    CompletionStage<Void> put(String key, String value, Duration ttl);

    /** Reads and removes the record in one step, so that two instances never both take it; empty when there is none. */
    CompletionStage<Optional<String>> take(String key);

    /** Gives the records that exist among {@code keys} a time to live of {@code ttl} from now (missing ones stay missing). */
    CompletionStage<Void> touch(Collection<String> keys, Duration ttl);

    /** Removes the record, if any. */
    CompletionStage<Void> remove(String key);
}
