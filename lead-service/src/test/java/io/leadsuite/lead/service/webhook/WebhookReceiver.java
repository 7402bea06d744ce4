package io.leadsuite.lead.service.webhook;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

import com.sun.net.httpserver.HttpServer;

import io.vertx.core.json.JsonObject;

/**
 * A CRM's webhook endpoint in a test: verifies every signature with the shared secret, records what it accepted, and
 * answers 503 to the first {@code failFirst} requests.
 */
final class WebhookReceiver implements AutoCloseable {

    record Received(String eventId, JsonObject envelope, boolean signatureValid) {
    }

    final List<Received> accepted = new CopyOnWriteArrayList<>();
    final AtomicInteger requests = new AtomicInteger();
    final AtomicInteger badSignatures = new AtomicInteger();
    private final HttpServer server;
    private final String secret;
    private volatile int failFirst;

    WebhookReceiver(String secret, int failFirst) throws IOException {
        this.secret = secret;
        this.failFirst = failFirst;
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/hook", exchange -> {
            String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
            int n = requests.incrementAndGet();
            boolean valid = WebhookSignature.verify(secret,
                    exchange.getRequestHeaders().getFirst(WebhookSignature.HEADER), body,
                    System.currentTimeMillis() / 1000, 300)
                    && "application/json".equals(exchange.getRequestHeaders().getFirst("Content-Type"));
            int status;
            if (!valid) {
                badSignatures.incrementAndGet();
                status = 401;
            } else if (n <= this.failFirst) {
                status = 503;
            } else {
                accepted.add(new Received(exchange.getRequestHeaders().getFirst(WebhookSignature.EVENT_ID_HEADER),
                        new JsonObject(body), true));
                status = 204;
            }
            exchange.sendResponseHeaders(status, -1);
            exchange.close();
        });
        server.start();
    }

    /** From now on every request is answered 204 (a receiver back after an outage). */
    void recover() {
        failFirst = 0;
    }

    String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/hook";
    }

    List<Received> forLead(String leadId) {
        return accepted.stream().filter(r -> leadId.equals(r.envelope().getString("subject"))).toList();
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
