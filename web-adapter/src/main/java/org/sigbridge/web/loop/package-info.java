/**
 * The web port as a set of event loops, the way Node and Netty run a relay: each Jetty selector thread reads its
 * WebSockets itself, and every frame those reads produce for any socket is written once, when the loop has handled
 * all the sockets that were ready and is about to wait again.
 *
 * <p>{@link org.sigbridge.web.loop.EventLoopConnector} is the plain-HTTP connector: its endpoints declare plain
 * WebSocket reads non-blocking (so Jetty runs them on the selector thread instead of handing each read to a pool
 * thread), and its selectors release the thread's {@link org.sigbridge.web.loop.WriteCork} before they select.
 * HTTP requests, XHR long polls, upgrades and TLS keep Jetty's usual pool dispatch. Writes from any other thread
 * (XMPP and SIP legs, timers, pollers) are never deferred. The connector's sockets time out on one
 * {@link org.sigbridge.web.loop.IdleTimeoutWheel} rather than a scheduler task each. Their WebSocket output is a
 * {@link org.sigbridge.web.loop.SharedOutput}: sigbridge writes its pre-encoded data frames there itself, beside Jetty's
 * frame flusher, which keeps the control frames.
 */
package org.sigbridge.web.loop;
