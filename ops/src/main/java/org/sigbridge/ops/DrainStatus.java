package org.sigbridge.ops;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;

/**
 * The body of {@code GET /admin/drain}: {@code {"draining":false,"connections":n}}, or while draining
 * {@code {"draining":true,"since":…,"deadline":…,"connections":n,"pollers":n}}.
 *
 * @param since       ISO-8601 instant the drain started, or {@code null} when not draining
 * @param deadline    ISO-8601 instant open connections are closed at, or {@code null}
 * @param connections connections still open
 * @param pollers     XHR pollers still active, or {@code null} when not draining
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonPropertyOrder({"draining", "since", "deadline", "connections", "pollers"})
public record DrainStatus(boolean draining, String since, String deadline, int connections, Integer pollers) {

    /** Not draining, with {@code connections} open. */
    public static DrainStatus idle(int connections) {
        return new DrainStatus(false, null, null, connections, null);
    }
}
