package org.sigbridge.queue;

/** What a full {@link PendingQueue} does with one more item. */
public enum OverflowAction {
    /** Refuse the new item; the caller reports it to its sender. */
    REJECT_NEWEST,
    /** Accept the new item and give up the oldest, which the caller reports to its sender. */
    DROP_OLDEST
}
