package org.sigbridge.testkit.peers;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

/** Serves this package's test resources over HTTP on 127.0.0.1 (ephemeral port) until closed. */
final class StaticPages implements AutoCloseable {
    private final HttpServer server;

    private StaticPages(HttpServer server) {
        this.server = server;
    }

    static StaticPages start() throws IOException {
        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/", StaticPages::serve);
        server.start();
        return new StaticPages(server);
    }

    String url(String page) {
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/" + page;
    }

    private static void serve(HttpExchange exchange) throws IOException {
        String name = exchange.getRequestURI().getPath().substring(1);
        try (exchange; InputStream in = name.matches("[a-z-]+\\.html") ? StaticPages.class.getResourceAsStream(name) : null) {
            if (in == null) {
                exchange.sendResponseHeaders(404, -1);
                return;
            }
            byte[] body = in.readAllBytes();
            exchange.getResponseHeaders().set("Content-Type", "text/html; charset=utf-8");
            exchange.sendResponseHeaders(200, body.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        }
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
