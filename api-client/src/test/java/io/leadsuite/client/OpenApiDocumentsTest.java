package io.leadsuite.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;

import io.swagger.parser.OpenAPIParser;
import io.swagger.v3.parser.core.models.ParseOptions;
import io.swagger.v3.parser.core.models.SwaggerParseResult;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.json.schema.OutputUnit;
import io.vertx.json.schema.SchemaRepository;
import io.vertx.openapi.contract.OpenAPIVersion;

/**
 * Every OpenAPI document of the suite, as built: the combined one the client is generated from (and which the gateway
 * serves at {@code /api/openapi}), each service's ({@code /q/openapi}) and the gateway's own. Each must be valid
 * against the OpenAPI 3.1 JSON Schema (Vert.x's validator, every error reported), resolve every reference, parse without a
 * message (swagger-parser, which openapi-generator uses), and be one a client can
 * be generated from and used without workarounds: an operationId on every operation, unique; a success answer; and
 * every 4xx/5xx answer in {@code application/problem+json} with the {@code Problem} schema, which has {@code errors}.
 */
class OpenApiDocumentsTest {

    private static Vertx vertx;

    @BeforeAll
    static void start() {
        vertx = Vertx.vertx();
    }

    @AfterAll
    static void stop() throws Exception {
        vertx.close().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
    }

    static Stream<String> documents() {
        return Stream.of("combined", "contact-service", "lead-service", "scoring-service", "gateway");
    }

    /** The document by name: the combined one and the gateway's from the class path, the services' as stored. */
    static JsonObject document(String name) throws IOException {
        return switch (name) {
            case "combined" -> resource("/META-INF/leadsuite/openapi.json", false);
            case "gateway" -> resource("/META-INF/openapi.yaml", true);
            default -> new JsonObject(Files.readString(root().resolve(name).resolve("target/openapi/openapi.json")));
        };
    }

    private static JsonObject resource(String name, boolean yaml) throws IOException {
        try (InputStream in = OpenApiDocumentsTest.class.getResourceAsStream(name)) {
            if (in == null) {
                throw new IllegalStateException(name + " is not on the class path");
            }
            Object tree = (yaml ? new YAMLMapper() : new ObjectMapper()).readValue(in, Object.class);
            return new JsonObject(new ObjectMapper().writeValueAsString(tree));
        }
    }

    private static Path root() {
        return Path.of(System.getProperty("suite.root", "..")).toAbsolutePath().normalize();
    }

    @ParameterizedTest
    @MethodSource("documents")
    void validAgainstTheOpenApiSchema(String name) throws Exception {
        JsonObject doc = document(name);
        OpenAPIVersion version = OpenAPIVersion.fromContract(doc);
        SchemaRepository repository = version.getRepository(vertx, "app:///").toCompletionStage()
                .toCompletableFuture().get(60, TimeUnit.SECONDS);
        OutputUnit result = version.validateContract(vertx, repository, doc).toCompletionStage()
                .toCompletableFuture().get(60, TimeUnit.SECONDS);
        List<String> errors = new ArrayList<>();
        collect(result, errors);
        System.out.printf("[openapi] %s: OpenAPI %s JSON Schema: %s%n", name, doc.getString("openapi"),
                errors.isEmpty() ? "valid, no errors" : errors.size() + " errors");
        errors.forEach(e -> System.out.println("[openapi]   " + e));
        assertTrue(Boolean.TRUE.equals(result.getValid()) && errors.isEmpty(),
                name + " is not valid OpenAPI:\n" + String.join("\n", errors));
        // every $ref resolves (the schema cannot tell)
        version.resolve(vertx, repository, doc).toCompletionStage().toCompletableFuture().get(60, TimeUnit.SECONDS);
        System.out.printf("[openapi] %s: every reference resolves%n", name);
    }

    private static void collect(OutputUnit unit, List<String> into) {
        if (unit.getErrors() == null || unit.getErrors().isEmpty()) {
            if (Boolean.FALSE.equals(unit.getValid()) || unit.getError() != null) {
                into.add(unit.getInstanceLocation() + ": " + unit.getError() + " (" + unit.getKeywordLocation() + ")");
            }
            return;
        }
        unit.getErrors().forEach(e -> collect(e, into));
    }

    @ParameterizedTest
    @MethodSource("documents")
    void parsesWithoutMessages(String name) throws Exception {
        ParseOptions options = new ParseOptions();
        options.setResolve(true);
        SwaggerParseResult result = new OpenAPIParser().readContents(document(name).encode(), null, options);
        List<String> messages = result.getMessages() == null ? List.of() : result.getMessages();
        System.out.printf("[openapi] %s: swagger-parser: %s%n", name,
                messages.isEmpty() ? "no errors, no warnings" : messages.size() + " messages");
        messages.forEach(m -> System.out.println("[openapi]   " + m));
        assertTrue(result.getOpenAPI() != null && messages.isEmpty(), name + ": " + messages);
    }

    @ParameterizedTest
    @MethodSource("documents")
    void aClientCanBeGeneratedAndUsed(String name) throws Exception {
        JsonObject doc = document(name);
        JsonObject components = doc.getJsonObject("components");
        JsonObject problem = components.getJsonObject("schemas").getJsonObject("Problem");
        assertEquals("#/components/schemas/FieldError", problem.getJsonObject("properties").getJsonObject("errors")
                .getJsonObject("items").getString("$ref"), name + ": Problem has no typed errors");
        List<String> faults = new ArrayList<>();
        Map<String, String> ids = new HashMap<>();
        JsonObject paths = doc.getJsonObject("paths");
        for (String path : paths.fieldNames()) {
            JsonObject item = paths.getJsonObject(path);
            if (Boolean.TRUE.equals(item.getValue("x-proxy"))) {
                continue; // the gateway's catch-all routes, replaced by the services' paths in the combined document
            }
            for (String method : item.fieldNames()) {
                if (!(item.getValue(method) instanceof JsonObject op) || !op.containsKey("responses")) {
                    continue;
                }
                String where = method.toUpperCase() + " " + path;
                String id = op.getString("operationId");
                if (id == null) {
                    faults.add(where + ": no operationId");
                } else if (ids.put(id, where) != null) {
                    faults.add(where + ": operationId " + id + " used twice");
                }
                JsonObject responses = op.getJsonObject("responses");
                if (responses.fieldNames().stream().noneMatch(code -> code.startsWith("2"))) {
                    faults.add(where + ": no success answer");
                }
                for (String code : responses.fieldNames()) {
                    if (code.startsWith("4") || code.startsWith("5")) {
                        JsonObject response = responses.getJsonObject(code);
                        if (response.containsKey("$ref")) {
                            response = components.getJsonObject("responses")
                                    .getJsonObject(response.getString("$ref").substring(
                                            "#/components/responses/".length()));
                        }
                        JsonObject content = response.getJsonObject("content", new JsonObject());
                        JsonObject media = content.getJsonObject("application/problem+json");
                        if (content.size() != 1 || media == null || !"#/components/schemas/Problem"
                                .equals(media.getJsonObject("schema", new JsonObject()).getString("$ref"))) {
                            faults.add(where + ": " + code + " is not application/problem+json with Problem");
                        }
                    }
                }
            }
        }
        if (!faults.isEmpty()) {
            fail(name + ":\n" + String.join("\n", faults));
        }
        System.out.printf("[openapi] %s: %d operations, each with a unique operationId, a success answer and its "
                + "problems typed%n", name, ids.size());
    }
}
