package org.sigbridge.web.signalr;

import java.util.Locale;
import org.sigbridge.envelope.JsonValue;
import org.sigbridge.web.signalr.protocol.HubFrames;
import org.sigbridge.web.signalr.protocol.HubMessage;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The broadcast hub's one server method, {@code Send(string)} (docs/signalr.md), invoked by one connection's client:
 * the text is published on the hub's channel (or the channel it names), echoed when {@code echo} is on, and a blocking
 * call is completed with the envelope id, or with an error in the hub protocol's terms (unknown method, arguments that
 * do not bind, a refused publish). Counted as ignored or bad frames ({@code sigbridge_web_*_frames_total}).
 *
 * <p>Runs on the connection's reader thread; only enqueues.
 */
final class HubSendMethod {

    /** The connection's logger, so that its lines keep the name they always had. */
    private static final Logger log = LoggerFactory.getLogger(HubConnection.class);
    private static final String SEND = "send";

    private final HubServer server;
    private final HubConnection connection;
    private final FrameWriter out;

    HubSendMethod(HubServer server, HubConnection connection, FrameWriter out) {
        this.server = server;
        this.connection = connection;
        this.out = out;
    }

    /** Answers one invocation; {@code Send} matches case-insensitively, as ASP.NET Core's binder does. */
    void invoke(HubMessage.Invocation call) {
        String id = call.invocationId();
        if (!call.target().toLowerCase(Locale.ROOT).equals(SEND)) {
            server.host().stats().countIgnoredFrame();
            log.debug("{}: unknown hub method '{}'", connection.id(), call.target());
            if (id != null) {
                out.write(HubFrames.completionError(id, "Unknown hub method '" + call.target() + "'"));
            }
            return;
        }
        if (call.arguments().size() != 1 || !call.arguments().get(0).isString()) {
            server.host().stats().countBadFrame();
            if (id != null) {
                out.write(HubFrames.completionError(id, "Failed to invoke '" + call.target() + "' due to an error on the server. "
                        + "InvalidDataException: Error binding arguments. Make sure that the types of the provided values "
                        + "match the types of the hub method being invoked: Send(string)."));
            }
            return;
        }
        String text = call.arguments().get(0).asText();
        String hubName = connection.hubName();
        HubRoster.Sent sent = server.send(connection, HubText.route(text, server.settings().channelOf(hubName),
                server.settings().routeByHub()));
        if (sent instanceof HubRoster.Sent.Published published) {
            if (server.settings().echo()) {
                out.write(HubFrames.invocation(SignalRDialect.CLIENT_METHOD, JsonValue.string(text)));
            }
            if (id != null) {
                // The result is the envelope id, which onDeliveryFailed names should a back end fail later.
                out.write(HubFrames.completionResult(id, JsonValue.string(published.envelopeId())));
            }
        } else if (sent instanceof HubRoster.Sent.Failed failed && id != null) {
            out.writeReport(HubFrames.completionError(id, failed.error()));
        }
    }
}
