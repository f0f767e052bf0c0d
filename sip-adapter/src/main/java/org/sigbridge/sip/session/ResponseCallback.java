package org.sigbridge.sip.session;

import java.util.Optional;
import javax.sip.message.Response;

/**
 * The final outcome of a client request. Local failures come as the status RFC 3261 gives them: 408 for
 * no final response in time (§17.1.2.2 Timer F), 503 for a transport error (§8.1.3.1).
 */
@FunctionalInterface
public interface ResponseCallback {

    /**
     * Called once, on a JAIN-SIP or the worker thread; must not block.
     *
     * @param status   the final status code
     * @param reason   its reason phrase, or what went wrong locally
     * @param response the response, empty for local failures
     */
    void completed(int status, String reason, Optional<Response> response);
}
