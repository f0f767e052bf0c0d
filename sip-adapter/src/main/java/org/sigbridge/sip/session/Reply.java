package org.sigbridge.sip.session;

import java.util.Map;

/**
 * A final response to send: status, reason phrase and extra headers (name → comma-separated values).
 *
 * @param headers immutable; empty for none
 */
record Reply(int status, String reason, Map<String, String> headers) {

    Reply {
        headers = Map.copyOf(headers);
    }
}
