package org.sigbridge.ops;

import java.time.Duration;

/**
 * A front end's drain on request ({@code POST /admin/drain}, docs/operations.md section 6): stop accepting new
 * connections, let the open ones leave until a deadline, then close what is left. Implemented by the front end
 * that mounts the ops endpoints (the web adapter); thread-safe; never blocks.
 */
public interface Drain {

    /** True from the start of a drain on; it cannot be undone. {@code /readyz} answers 503 meanwhile. */
    boolean draining();

    /** Where the drain stands now. */
    DrainStatus status();

    /** Starts draining, or brings an earlier deadline forward; returns the status after the call. */
    DrainStatus start(Duration within);
}
