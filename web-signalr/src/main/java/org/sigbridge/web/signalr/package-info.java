/**
 * The ASP.NET Core SignalR dialect (docs/signalr.md): negotiate and the WebSocket, Server-Sent Events and Long Polling
 * transports of every hub under {@code signalr.path}, each a broadcast hub whose {@code Send(text)} is published on the hub channel named inside the
 * text (the seed's {@code {message, channel}}) or on the hub's fallback channel, and heard by every connection of the
 * hub as {@code onMessageReceived(text)}. The wire format is in {@link org.sigbridge.web.signalr.protocol}.
 */
package org.sigbridge.web.signalr;
