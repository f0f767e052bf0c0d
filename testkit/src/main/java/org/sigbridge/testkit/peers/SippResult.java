package org.sigbridge.testkit.peers;

/**
 * How a sipp run ended: its exit code (0 = every call succeeded; 1 = some failed; 97/99 = aborted; -1 = we
 * killed it at the deadline) and its screen output, action log ({@code <log>} lines) and error log.
 */
public record SippResult(int exitCode, String output, String actionLog, String errorLog) {
    public boolean succeeded() {
        return exitCode == 0;
    }

    /** Everything, for assertion messages. */
    public String describe() {
        return "sipp exit " + exitCode + "\n--- output\n" + output + "\n--- log\n" + actionLog
                + "\n--- errors\n" + errorLog;
    }
}
