package io.leadsuite.lead.rest;

import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.json.JsonObject;

/**
 * Stands in for contact-service in lead-service's own tests (the end-to-end tests use the real one): match-or-create
 * by lower-cased e-mail, read by id; e-mails starting with "unavailable" get a 503, "invalid" a 422 problem, and a
 * contact whose e-mail starts with "gone" is matched but then reads as 410, as an erased contact does; one whose
 * e-mail starts with "missing" reads as 404. One whose e-mail starts with "reborn" is answered as created at every
 * match (as a contact created moments before that another one was merged into would be): lead-service may already hold
 * its open lead.
 */
public class FakeContactService implements QuarkusTestResourceLifecycleManager {

    private Vertx vertx;
    private HttpServer server;
    /** The e-mails matched with a public form's credential (X-Form-Token passed on by lead-service). */
    public static final java.util.Set<String> FORM_MATCHES = ConcurrentHashMap.newKeySet();
    private final Map<String, JsonObject> byEmail = new ConcurrentHashMap<>();
    private final Map<String, JsonObject> byId = new ConcurrentHashMap<>();

    @Override
    public Map<String, String> start() {
        vertx = Vertx.vertx();
        server = vertx.createHttpServer().requestHandler(request -> {
            if (request.headers().get("Authorization") == null && request.headers().get("X-Form-Token") == null) {
                request.response().setStatusCode(401).end();
                return;
            }
            if ("POST".equals(request.method().name()) && request.path().equals("/contacts/match")) {
                request.body().onSuccess(body -> {
                    String email = body.toJsonObject().getString("email").strip().toLowerCase();
                    if (email.startsWith("unavailable")) {
                        request.response().setStatusCode(503).end();
                        return;
                    }
                    if (email.startsWith("invalid")) {
                        request.response().setStatusCode(422).putHeader("Content-Type", "application/problem+json")
                                .end(new JsonObject().put("status", 422).put("detail", "The e-mail address is malformed")
                                        .put("errors", new io.vertx.core.json.JsonArray()
                                                .add(new JsonObject().put("field", "email").put("message", "bad")))
                                        .encode());
                        return;
                    }
                    if (request.headers().get("X-Form-Token") != null) {
                        // lead-service passes a public form's credential on: the answer says so (for the tests)
                        FORM_MATCHES.add(email);
                    }
                    boolean[] created = { false };
                    JsonObject contact = byEmail.computeIfAbsent(email, e -> {
                        created[0] = true;
                        JsonObject c = new JsonObject().put("id", UUID.randomUUID().toString()).put("email", e)
                                .put("firstName", body.toJsonObject().getString("firstName"));
                        byId.put(c.getString("id"), c);
                        return c;
                    });
                    if (email.startsWith("reborn")) {
                        created[0] = true;
                    }
                    request.response().setStatusCode(created[0] ? 201 : 200).putHeader("Content-Type",
                            "application/json")
                            .end(new JsonObject().put("contact", contact).put("created", created[0]).encode());
                });
                return;
            }
            if ("GET".equals(request.method().name()) && request.path().startsWith("/contacts/")) {
                JsonObject contact = byId.get(request.path().substring("/contacts/".length()));
                if (contact != null && contact.getString("email").startsWith("gone")) {
                    // as contact-service answers for an erased contact
                    request.response().setStatusCode(410).putHeader("Content-Type", "application/problem+json")
                            .end(new JsonObject().put("type", "https://leadsuite.io/problems/erased")
                                    .put("title", "Contact erased").put("status", 410).encode());
                } else if (contact == null || contact.getString("email").startsWith("missing")) {
                    request.response().setStatusCode(404).end();
                } else {
                    request.response().putHeader("Content-Type", "application/json").end(contact.encode());
                }
                return;
            }
            request.response().setStatusCode(404).end();
        });
        try {
            server.listen(0).toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
        String url = "http://localhost:" + server.actualPort();
        return Map.of("leadsuite.contact-service.url", url, "quarkus.rest-client.contact-service.url", url);
    }

    @Override
    public void stop() {
        if (vertx != null) {
            vertx.close();
        }
    }
}
