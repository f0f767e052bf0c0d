package org.sigbridge.bench.floor;

import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.Callback;

/**
 * A Jetty 12 server on 127.0.0.1:{@code $SIGBRIDGE_WEB_PORT} that answers every request {@code 200 ok}: the least a
 * Java web host does before its port accepts (one server, one connector, one handler, Jetty's default thread pool).
 * With {@code --exit-after-first-request} it exits once it has answered one request (the class-data sharing training
 * run). Runs until killed otherwise.
 */
public final class JettyFloor {

    private JettyFloor() {
    }

    public static void main(String[] args) throws Exception {
        boolean once = java.util.Arrays.asList(args).contains("--exit-after-first-request");
        Server server = new Server();
        ServerConnector connector = new ServerConnector(server);
        connector.setHost("127.0.0.1");
        connector.setPort(Integer.parseInt(System.getenv("SIGBRIDGE_WEB_PORT")));
        server.addConnector(connector);
        server.setHandler(new Handler.Abstract() {
            @Override
            public boolean handle(Request request, Response response, Callback callback) {
                response.setStatus(200);
                Callback done = once ? Callback.from(callback, () -> new Thread(JettyFloor::exit, "floor-exit").start()) : callback;
                Content.Sink.write(response, true, "ok", done);
                return true;
            }
        });
        server.start();
        System.out.println("floor: jetty listening on " + connector.getLocalPort());
        server.join();
    }

    private static void exit() {
        System.exit(0);
    }
}
