package io.leadsuite.contact.rest;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;
import io.vertx.core.json.JsonObject;

/** Every route of the service is in its OpenAPI, with a summary and examples. */
@QuarkusTest
class OpenApiTest {

    private static final Map<String, List<String>> ROUTES = Map.of(
            "/contacts", List.of("get", "post"),
            "/contacts/match", List.of("post"),
            "/contacts/{id}", List.of("get", "patch", "delete"),
            "/contacts/{id}/merge", List.of("post"),
            "/contacts/{id}/consent-history", List.of("get"),
            "/contacts/imports", List.of("post"),
            "/contacts/imports/{jobId}", List.of("get", "delete"),
            "/contacts/imports/{jobId}/cancel", List.of("post"));

    @Test
    void everyRouteIsDocumentedWithExamples() {
        JsonObject api = new JsonObject(given().get("/q/openapi?format=json").then().statusCode(200).extract()
                .asString());
        JsonObject paths = api.getJsonObject("paths");
        ROUTES.forEach((path, methods) -> {
            JsonObject item = paths.getJsonObject(path);
            assertNotNull(item, "documented: " + path);
            for (String method : methods) {
                JsonObject operation = item.getJsonObject(method);
                assertNotNull(operation, method + " " + path);
                assertNotNull(operation.getString("summary"), "summary of " + method + " " + path);
                JsonObject responses = operation.getJsonObject("responses");
                assertFalse(responses.isEmpty(), "responses of " + method + " " + path);
                boolean example = responses.stream().map(e -> (JsonObject) e.getValue())
                        .anyMatch(OpenApiTest::hasExample);
                assertTrue(example, "a response example for " + method + " " + path);
                JsonObject body = operation.getJsonObject("requestBody");
                if (body != null && !path.equals("/contacts") && !path.equals("/contacts/match")) {
                    assertTrue(hasExample(body), "a request example for " + method + " " + path);
                }
            }
        });
        // the bodies of create and match are described by a schema with an example
        JsonObject request = api.getJsonObject("components").getJsonObject("schemas").getJsonObject("ContactRequest");
        assertTrue(request.containsKey("example") || request.containsKey("examples"), request.encode());
    }

    private static boolean hasExample(JsonObject withContent) {
        JsonObject content = withContent.getJsonObject("content");
        return content != null && content.stream().map(e -> (JsonObject) e.getValue())
                .anyMatch(media -> media.containsKey("examples") || media.containsKey("example"));
    }
}
