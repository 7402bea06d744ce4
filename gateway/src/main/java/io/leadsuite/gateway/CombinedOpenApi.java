package io.leadsuite.gateway;

import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

import jakarta.enterprise.context.ApplicationScoped;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;

import io.quarkus.security.identity.SecurityIdentity;
import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;

/**
 * {@code GET /api/openapi}: one OpenAPI document for the whole suite. Each service's {@code /q/openapi} is fetched
 * when asked (so it is always the running version), its paths are put under {@code /api}, and they are merged with
 * the gateway's own routes ({@code META-INF/openapi.yaml}). Schemas of the same name but different content get the
 * service's name as prefix (references rewritten). A service that cannot be reached is listed in
 * {@code x-missing-services}; the document is still served. The document is built at most once per
 * {@code leadsuite.gateway.openapi.cache-ttl} (requests meanwhile share one build), and each client address may ask for
 * it {@code leadsuite.gateway.openapi.per-minute} times a minute.
 */
@ApplicationScoped
class CombinedOpenApi {

    /** The answers the gateway itself may give on any proxied route. */
    static final Map<String, String> GATEWAY_RESPONSES = Map.of(
            "401", "#/components/responses/Unauthorized",
            "403", "#/components/responses/Forbidden",
            "413", "#/components/responses/TooLarge",
            "429", "#/components/responses/TooManyRequests",
            "431", "#/components/responses/HeadersTooLarge",
            "502", "#/components/responses/BadGateway",
            "503", "#/components/responses/Unavailable",
            "504", "#/components/responses/Timeout");

    private final ApiGateway gateway;
    private final GatewayConfig config;
    private final JsonObject own;

    CombinedOpenApi(ApiGateway gateway, GatewayConfig config) {
        this.gateway = gateway;
        this.config = config;
        this.own = readOwn();
    }

    static JsonObject readOwn() {
        try (InputStream in = CombinedOpenApi.class.getResourceAsStream("/META-INF/openapi.yaml")) {
            Object tree = new YAMLMapper().readValue(in, Object.class);
            return new JsonObject(new ObjectMapper().writeValueAsString(tree));
        } catch (IOException | RuntimeException e) {
            throw new IllegalStateException("Cannot read the gateway's META-INF/openapi.yaml", e);
        }
    }

    /** The document served until {@code until} (System.nanoTime), and the build under way, if any. */
    private record Cached(Buffer document, long until) {
    }

    private volatile Cached cached;
    private Future<Buffer> building;
    private final AtomicLong builds = new AtomicLong();

    /** How many times the document was built from the services' documents. */
    long builds() {
        return builds.get();
    }

    void handle(RoutingContext rc, SecurityIdentity identity) {
        rc.request().resume();
        // anyone may read it, so each client address has a budget of its own (it costs four upstream calls to build)
        String client = rc.request().remoteAddress() == null ? "unknown" : rc.request().remoteAddress().hostAddress();
        if (!gateway.rateLimited(rc, new RateLimiter.Key("ip", client, "openapi"), config.openapi().perMinute())) {
            return;
        }
        document(rc).onComplete(done -> {
            if (done.succeeded()) {
                rc.response().putHeader(HttpHeaders.CONTENT_TYPE, "application/json").end(done.result());
            } else {
                ApiGateway.answer(rc, "upstream-unavailable", "Service unavailable", 503,
                        "The API description could not be built; try again");
            }
        });
    }

    /**
     * The combined document: the cached one while it is fresh, else one build shared by every request that asks
     * meanwhile. A document that misses a service is kept for 5 s at most.
     */
    private synchronized Future<Buffer> document(RoutingContext rc) {
        Cached current = cached;
        if (current != null && System.nanoTime() - current.until() < 0) {
            return Future.succeededFuture(current.document());
        }
        if (building == null) {
            builds.incrementAndGet();
            building = build(ApiGateway.requestId(rc)).andThen(done -> {
                synchronized (this) {
                    building = null;
                    if (done.succeeded()) {
                        JsonObject doc = new JsonObject(done.result());
                        long ttl = doc.getJsonArray("x-missing-services", new JsonArray()).isEmpty()
                                ? config.openapi().cacheTtl().toNanos()
                                : Math.min(config.openapi().cacheTtl().toNanos(), 5_000_000_000L);
                        cached = new Cached(done.result(), System.nanoTime() + ttl);
                    }
                }
            });
        }
        return building;
    }

    private Future<Buffer> build(String requestId) {
        MultiMap headers = MultiMap.caseInsensitiveMultiMap().add(HttpHeaders.ACCEPT, "application/json")
                .add(ApiGateway.X_REQUEST_ID, requestId);
        List<Upstream> services = List.of(Upstream.values());
        List<Future<JsonObject>> docs = new ArrayList<>();
        for (Upstream upstream : services) {
            docs.add(gateway.upstream(upstream).fetch("/q/openapi?format=json", headers, config.timeout().toMillis())
                    .map(f -> f.status() == 200 ? f.body().toJsonObject() : null)
                    .otherwise((JsonObject) null));
        }
        return Future.join(new ArrayList<>(docs)).transform(all -> {
            Map<String, JsonObject> found = new LinkedHashMap<>();
            for (int i = 0; i < services.size(); i++) {
                found.put(services.get(i).configName(), docs.get(i).result());
            }
            return Future.succeededFuture(combine(own, found).toBuffer());
        });
    }

    /**
     * The gateway's own document ({@code own}) with each service's document merged in, in the order given; a service
     * whose document is null is listed in {@code x-missing-services}. The same function builds the document the
     * published client is generated from ({@link CombinedOpenApiFile}), so the two cannot differ in how they merge.
     */
    static JsonObject combine(JsonObject own, Map<String, JsonObject> services) {
        JsonObject merged = own.copy();
        // the catch-all proxy entries stand for the services' own paths, which replace them here
        JsonObject ownPaths = merged.getJsonObject("paths", new JsonObject());
        ownPaths.fieldNames().removeIf(p -> ownPaths.getValue(p) instanceof JsonObject item
                && Boolean.TRUE.equals(item.getValue("x-proxy")));
        JsonArray missing = new JsonArray();
        services.forEach((service, doc) -> {
            if (doc == null) {
                missing.add(service);
            } else {
                merge(merged, service, doc);
            }
        });
        merged.put("x-missing-services", missing);
        return merged;
    }

    /** Adds {@code doc}'s paths (under {@code /api}), schemas, security schemes and tags to {@code target}. */
    static void merge(JsonObject target, String service, JsonObject doc) {
        JsonObject schemas = target.getJsonObject("components", new JsonObject()).getJsonObject("schemas",
                new JsonObject());
        JsonObject theirSchemas = doc.getJsonObject("components", new JsonObject()).getJsonObject("schemas",
                new JsonObject());
        String text = doc.encode();
        for (String name : theirSchemas.fieldNames()) {
            Object existing = schemas.getValue(name);
            if (existing != null && !existing.equals(theirSchemas.getValue(name))) {
                String renamed = service + "." + name;
                text = text.replace("\"#/components/schemas/" + name + "\"", "\"#/components/schemas/" + renamed + "\"");
            }
        }
        JsonObject rewritten = new JsonObject(text);
        JsonObject components = target.getJsonObject("components");
        if (components == null) {
            components = new JsonObject();
            target.put("components", components);
        }
        JsonObject targetSchemas = components.getJsonObject("schemas");
        if (targetSchemas == null) {
            targetSchemas = new JsonObject();
            components.put("schemas", targetSchemas);
        }
        for (Map.Entry<String, Object> schema : rewritten.getJsonObject("components", new JsonObject())
                .getJsonObject("schemas", new JsonObject())) {
            Object existing = targetSchemas.getValue(schema.getKey());
            String name = existing != null && !existing.equals(theirSchemas.getValue(schema.getKey()))
                    ? service + "." + schema.getKey()
                    : schema.getKey();
            targetSchemas.put(name, schema.getValue());
        }
        JsonObject schemes = components.getJsonObject("securitySchemes");
        JsonObject theirSchemes = rewritten.getJsonObject("components", new JsonObject())
                .getJsonObject("securitySchemes");
        if (theirSchemes != null) {
            if (schemes == null) {
                schemes = new JsonObject();
                components.put("securitySchemes", schemes);
            }
            for (Map.Entry<String, Object> s : theirSchemes) {
                if (!schemes.containsKey(s.getKey())) {
                    schemes.put(s.getKey(), s.getValue());
                }
            }
        }
        JsonObject paths = target.getJsonObject("paths");
        if (paths == null) {
            paths = new JsonObject();
            target.put("paths", paths);
        }
        for (Map.Entry<String, Object> path : rewritten.getJsonObject("paths", new JsonObject())) {
            String apiPath = Route.API + path.getKey();
            if (Route.resolve(apiPath).isPresent() && !paths.containsKey(apiPath)) {
                JsonObject operations = ((JsonObject) path.getValue()).copy();
                for (String method : operations.fieldNames()) {
                    if (operations.getValue(method) instanceof JsonObject op) {
                        op.put("x-service", service);
                        JsonObject responses = op.getJsonObject("responses");
                        if (responses != null) {
                            GATEWAY_RESPONSES.forEach((status, ref) -> {
                                if (!responses.containsKey(status)) {
                                    responses.put(status, new JsonObject().put("$ref", ref));
                                }
                            });
                        }
                    }
                }
                paths.put(apiPath, operations);
            }
        }
        JsonArray tags = target.getJsonArray("tags");
        JsonArray theirTags = rewritten.getJsonArray("tags");
        if (theirTags != null) {
            if (tags == null) {
                tags = new JsonArray();
                target.put("tags", tags);
            }
            for (Object tag : theirTags) {
                if (!tags.contains(tag)) {
                    tags.add(tag);
                }
            }
        }
    }
}
