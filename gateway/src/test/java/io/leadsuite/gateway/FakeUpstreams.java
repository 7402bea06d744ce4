package io.leadsuite.gateway;

import java.io.IOException;
import java.net.ServerSocket;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.json.JsonObject;

/**
 * Three small HTTP servers on random ports standing in for contact-, lead- and scoring-service. By default each
 * echoes what it received as JSON: {@code service, method, uri, headers, bodyLength, bodySha256} and {@code body}
 * for small bodies. Paths ending in a special word behave otherwise (see {@link #handle}). Init argument
 * {@code down=<service>} leaves that service unstarted: its URL points at a port nobody listens on.
 */
public class FakeUpstreams implements QuarkusTestResourceLifecycleManager {

    public static final List<String> SERVICES = List.of("contact-service", "lead-service", "scoring-service");
    /** The problem+json body {@code .../problem} answers with, byte for byte. */
    public static final String PROBLEM = "{\"type\":\"https://leadsuite.io/problems/conflict\", \"title\":\"Conflict\","
            + "\"status\":409,\"detail\":\"e-mail taken\",  \"existingId\":\"c-1\"}";
    public static final int DOWNLOAD_BYTES = 1024 * 1024;

    private Vertx vertx;
    private String down;
    /** Requests seen, by X-Request-Id: lets tests prove that a rejected request never reached a service. */
    private final Map<String, String> seen = new ConcurrentHashMap<>();
    /** What an echoing service received, by X-Request-Id (for answers the gateway does not pass on: web forms). */
    private static final Map<String, JsonObject> ECHOES = new ConcurrentHashMap<>();
    private final Map<String, Promise<Void>> drips = new ConcurrentHashMap<>();
    /** {@code .../busy} requests the service is working on, and the most there were at once since last asked. */
    private final AtomicInteger busy = new AtomicInteger();
    private final AtomicInteger mostBusy = new AtomicInteger();

    @Override
    public void init(Map<String, String> initArgs) {
        down = initArgs.get("down");
    }

    @Override
    public Map<String, String> start() {
        vertx = Vertx.vertx();
        Map<String, String> config = new HashMap<>();
        for (String service : SERVICES) {
            int port = service.equals(down) ? unusedPort() : listen(service);
            config.put("leadsuite.gateway.upstreams." + service, "http://localhost:" + port);
        }
        // 3 s: long enough for a 3 MiB upload on a busy shared machine, short enough for the time-out tests
        config.put("leadsuite.gateway.timeout", "3s");
        return config;
    }

    @Override
    public void stop() {
        if (vertx != null) {
            vertx.close().toCompletionStage().toCompletableFuture().orTimeout(10, TimeUnit.SECONDS).join();
        }
    }

    private int listen(String service) {
        HttpServer server = vertx.createHttpServer().requestHandler(request -> handle(service, request));
        return server.listen(0).toCompletionStage().toCompletableFuture().orTimeout(10, TimeUnit.SECONDS).join()
                .actualPort();
    }

    private static int unusedPort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private void handle(String service, HttpServerRequest request) {
        String path = request.path();
        String requestId = request.getHeader("X-Request-Id");
        if (requestId != null) {
            seen.put(requestId, service);
        }
        if (path.equals("/_seen")) {
            // asked directly by tests, not through the gateway
            String id = request.getParam("requestId");
            request.response().putHeader("Content-Type", "application/json")
                    .end(new JsonObject().put("service", seen.get(id)).encode());
        } else if (path.equals("/_echo")) {
            JsonObject echo = ECHOES.get(request.getParam("requestId"));
            request.response().setStatusCode(echo == null ? 404 : 200).putHeader("Content-Type", "application/json")
                    .end(echo == null ? "{}" : echo.encode());
        } else if (path.equals("/_release")) {
            Promise<Void> drip = drips.remove(request.getParam("id"));
            if (drip != null) {
                drip.tryComplete();
            }
            request.response().putHeader("Content-Type", "application/json")
                    .end(new JsonObject().put("released", drip != null).encode());
        } else if (path.equals("/_busy")) {
            request.response().putHeader("Content-Type", "application/json")
                    .end(new JsonObject().put("most", mostBusy.getAndSet(0)).encode());
        } else if (path.equals("/q/openapi")) {
            request.response().putHeader("Content-Type", "application/json").end(openApi(service).encode());
        } else if (service.equals("contact-service") && path.equals("/contacts/ov-missing")) {
            request.response().setStatusCode(404).putHeader("Content-Type", "application/problem+json")
                    .end("{\"type\":\"https://leadsuite.io/problems/not-found\",\"title\":\"Not found\","
                            + "\"status\":404,\"detail\":\"no such contact\"}");
        } else if (service.equals("contact-service") && path.startsWith("/contacts/ov-")) {
            String id = path.substring("/contacts/".length());
            request.response().putHeader("Content-Type", "application/json")
                    .end(new JsonObject().put("id", id).put("email", id + "@example.com").encode());
        } else if (service.equals("lead-service") && path.equals("/leads")
                && request.getParam("contactId", "").startsWith("ov-")) {
            // two leads of an overview contact; ov-slow-leads answers too late
            String contactId = request.getParam("contactId");
            JsonObject page = new JsonObject().put("items", new io.vertx.core.json.JsonArray()
                    .add(new JsonObject().put("id", "ov-l1").put("contactId", contactId).put("topic", "solar"))
                    .add(new JsonObject().put("id", "ov-l2").put("contactId", contactId).put("topic", "wind")))
                    .putNull("next");
            long delay = contactId.equals("ov-slow-leads") ? 5000 : 0;
            Runnable answer = () -> {
                if (!request.response().closed()) {
                    request.response().putHeader("Content-Type", "application/json").end(page.encode());
                }
            };
            if (delay > 0) {
                vertx.setTimer(delay, t -> answer.run());
            } else {
                answer.run();
            }
        } else if (service.equals("scoring-service") && path.matches("/leads/ov-[^/]+/scores")) {
            String leadId = path.split("/")[2];
            request.response().putHeader("Content-Type", "application/json")
                    .end(new io.vertx.core.json.JsonArray().add(new JsonObject().put("modelId", "m-1")
                            .put("leadId", leadId).put("score", 42).put("grade", "B").put("salesReady", false))
                            .encode());
        } else if (path.endsWith("/problem")) {
            String status = request.getParam("status", "409");
            request.response().setStatusCode(Integer.parseInt(status))
                    .putHeader("Content-Type", "application/problem+json")
                    .putHeader("ETag", "\"v7\"")
                    .putHeader("X-Upstream", service)
                    .end(PROBLEM);
        } else if (path.endsWith("/created")) {
            String authority = request.authority().toString();
            request.response().setStatusCode(201)
                    .putHeader("Location", "http://" + authority + path.replace("/created", "/c-42") + "?v=1")
                    .putHeader("Content-Location", "https://elsewhere.example.com/c-42")
                    .end();
        } else if (path.endsWith("/slow")) {
            // answers only after the gateway's (test) timeout of 3 s
            vertx.setTimer(8000, t -> {
                if (!request.response().closed()) {
                    request.response().end("late");
                }
            });
        } else if (path.endsWith("/download")) {
            request.response().setChunked(true).putHeader("Content-Type", "application/octet-stream");
            for (int i = 0; i < DOWNLOAD_BYTES / 8192; i++) {
                request.response().write(Buffer.buffer(downloadChunk(i)));
            }
            request.response().end();
        } else if (path.endsWith("/drip")) {
            // the first part now, the rest only when the test releases it (or after 20 s)
            Promise<Void> release = Promise.promise();
            drips.put(request.getParam("id"), release);
            long fallback = vertx.setTimer(20_000, t -> release.tryComplete());
            request.response().setChunked(true).putHeader("Content-Type", "text/plain").write("first\n");
            release.future().onComplete(v -> {
                vertx.cancelTimer(fallback);
                request.response().end("last\n");
            });
        } else if (path.endsWith("/busy")) {
            // a service works on a request for 1.5 s whether or not its caller is still there
            mostBusy.accumulateAndGet(busy.incrementAndGet(), Math::max);
            vertx.setTimer(1500, t -> {
                busy.decrementAndGet();
                if (!request.response().closed()) {
                    request.response().end("done");
                }
            });
        } else if (path.endsWith("/upload-probe")) {
            // answers as soon as the first bytes arrive, then reports the total when the request ends
            long[] total = { 0 };
            request.handler(chunk -> {
                if (total[0] == 0) {
                    request.response().setChunked(true).putHeader("Content-Type", "text/plain").write("started\n");
                }
                total[0] += chunk.length();
            });
            request.endHandler(v -> request.response().end("total=" + total[0] + "\n"));
        } else {
            request.body().onSuccess(body -> echo(service, request, body));
        }
    }

    private static void echo(String service, HttpServerRequest request, Buffer body) {
        JsonObject headers = new JsonObject();
        request.headers().forEach(h -> {
            String name = h.getKey().toLowerCase();
            headers.put(name, headers.containsKey(name) ? headers.getString(name) + ", " + h.getValue() : h.getValue());
        });
        JsonObject echo = new JsonObject()
                .put("service", service)
                .put("method", request.method().name())
                .put("uri", request.uri())
                .put("headers", headers)
                .put("bodyLength", body.length())
                .put("bodySha256", sha256(body.getBytes()));
        if (body.length() <= 4096) {
            echo.put("body", body.toString());
        }
        String requestId = request.getHeader("X-Request-Id");
        if (requestId != null) {
            ECHOES.put(requestId, echo);
        }
        if (service.equals("lead-service") && request.path().equals("/captures")
                && body.toString().contains("known@example.com")) {
            // a capture of a known e-mail, answered with ids as lead-service answers staff
            request.response().putHeader("Content-Type", "application/json").putHeader("Location", "/leads/l-9")
                    .end("{\"contactId\":\"c-9\",\"leadId\":\"l-9\",\"contactCreated\":false,"
                            + "\"leadCreated\":false}");
            return;
        }
        request.response().putHeader("Content-Type", "application/json").end(echo.encode());
    }

    /** A small OpenAPI document per service: one path, and a schema named alike in every service but different. */
    static JsonObject openApi(String service) {
        String path = switch (service) {
            case "contact-service" -> "/contacts/{id}";
            case "lead-service" -> "/leads/{id}";
            default -> "/leads/{id}/scores";
        };
        return new JsonObject().put("openapi", "3.1.0")
                .put("info", new JsonObject().put("title", service).put("version", "1"))
                .put("paths", new JsonObject().put(path, new JsonObject().put("get", new JsonObject()
                        .put("operationId", service + "-get").put("responses", new JsonObject().put("200",
                                new JsonObject().put("description", "ok").put("content", new JsonObject().put(
                                        "application/json", new JsonObject().put("schema", new JsonObject()
                                                .put("$ref", "#/components/schemas/Item")))))))))
                .put("components", new JsonObject().put("schemas", new JsonObject()
                        .put("Item", new JsonObject().put("type", "object").put("description", service))));
    }

    /** The deterministic content of the {@code i}-th 8 KiB chunk of {@code .../download}. */
    public static byte[] downloadChunk(int i) {
        byte[] chunk = new byte[8192];
        for (int j = 0; j < chunk.length; j++) {
            chunk[j] = (byte) (i * 31 + j);
        }
        return chunk;
    }

    public static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
