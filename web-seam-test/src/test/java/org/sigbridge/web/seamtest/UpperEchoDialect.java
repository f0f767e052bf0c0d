package org.sigbridge.web.seamtest;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import org.eclipse.jetty.http.HttpStatus;
import org.eclipse.jetty.http.pathmap.PathSpec;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;
import org.sigbridge.envelope.Envelope;
import org.sigbridge.spi.DeliveryResult;
import org.sigbridge.spi.Endpoint;
import org.sigbridge.web.http.Replies;
import org.sigbridge.web.spi.Admission;
import org.sigbridge.web.spi.ConnectionHandler;
import org.sigbridge.web.spi.DialectMounts;
import org.sigbridge.web.spi.HttpMount;
import org.sigbridge.web.spi.SocketMount;
import org.sigbridge.web.spi.WebConnection;
import org.sigbridge.web.spi.WebDialect;
import org.sigbridge.web.spi.WebHost;

/**
 * A test-only dialect, {@code test-echo}: a WebSocket on {@code /test-echo/*} answers every text message in upper
 * case, and {@code GET /test-echo/info} answers its name. Registered by this module's test
 * {@code META-INF/services/org.sigbridge.web.spi.WebDialect}; it touches no web-host file.
 */
public final class UpperEchoDialect implements WebDialect {

    static final String NAME = "test-echo";

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public DialectMounts mount(WebHost host) {
        Handler info = new Handler.Abstract.NonBlocking() {
            @Override
            public boolean handle(Request request, Response response, Callback callback) {
                Replies.send(response, callback, HttpStatus.OK_200, Replies.TEXT, NAME + " on " + host.adapter());
                return true;
            }
        };
        return DialectMounts.builder()
                .socket(new SocketMount(PathSpec.from("/test-echo/*"), request -> new Admission.Accept(c -> new Upper(c, host.adapter()))))
                .http(new HttpMount(PathSpec.from("/test-echo/info"), info))
                .label(NAME)
                .build();
    }

    /** One echo connection; it joins no channel, so its endpoint receives nothing. */
    private static final class Upper implements ConnectionHandler, Endpoint {
        private final WebConnection connection;
        private final String adapter;

        Upper(WebConnection connection, String adapter) {
            this.connection = connection;
            this.adapter = adapter;
        }

        @Override
        public String dialect() {
            return NAME;
        }

        @Override
        public Endpoint endpoint() {
            return this;
        }

        @Override
        public String id() {
            return connection.id();
        }

        @Override
        public String adapter() {
            return adapter;
        }

        @Override
        public DeliveryResult deliver(Envelope envelope) {
            return DeliveryResult.DELIVERED;
        }

        @Override
        public void onText(String text) {
            connection.outbound().offer(ByteBuffer.wrap(text.toUpperCase(Locale.ROOT).getBytes(StandardCharsets.UTF_8)));
        }

        @Override
        public void onBinary() {
            connection.closeWith(1003, "text only"); // RFC 6455 §7.4.1: cannot accept this data type
        }

        @Override
        public void onClosed() {
            // nothing joined, nothing to leave
        }
    }
}
