/**
 * The JSON hub protocol of ASP.NET Core SignalR as pure functions (docs/signalr.md#wire): {@link
 * org.sigbridge.web.signalr.protocol.HubRecords} splits a text message at the record separator, {@link
 * org.sigbridge.web.signalr.protocol.HubMessageReader} reads records, {@link
 * org.sigbridge.web.signalr.protocol.HubFrames} writes the server's. No I/O; every malformed input is a {@link
 * org.sigbridge.web.signalr.protocol.HubProtocolException}.
 */
package org.sigbridge.web.signalr.protocol;
