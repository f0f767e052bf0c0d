/**
 * The Engine.IO server on Jetty core, revisions 3 and 4 (docs/dialects.md §7.2, §7.3, docs/socketio.md): {@link
 * org.sigbridge.web.socketio.engine.Engine} keeps the sessions; {@link org.sigbridge.web.socketio.engine.EioRevision}
 * holds what differs per revision (open packet, keep-alive, polling framing); {@code EioSession} is one session as a
 * {@link org.sigbridge.web.spi.WebConnection} across long-polling, WebSocket and the upgrade between them, and its
 * {@code SessionTransport} which of them carries it now (the held GET, the waiting batch, the probe);
 * {@link org.sigbridge.web.socketio.engine.EngineHttpHandler} and
 * {@link org.sigbridge.web.socketio.engine.EngineWebSocket} are its HTTP and WebSocket doors.
 */
package org.sigbridge.web.socketio.engine;
