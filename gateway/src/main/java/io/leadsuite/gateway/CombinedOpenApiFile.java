package io.leadsuite.gateway;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

import io.vertx.core.json.JsonObject;

/**
 * The suite's combined OpenAPI document built from files instead of running services: what {@code GET /api/openapi}
 * answers, from the documents the services stored when they were built ({@code target/openapi/openapi.json}). The
 * build runs it to generate the published client (module api-client); the end-to-end tests check that the running
 * gateway serves the same document.
 *
 * <pre>
 * CombinedOpenApiFile OUTPUT contact-service=PATH lead-service=PATH scoring-service=PATH
 * </pre>
 */
public final class CombinedOpenApiFile {

    private CombinedOpenApiFile() {
    }

    public static void main(String[] args) throws IOException {
        if (args.length < 2) {
            throw new IllegalArgumentException("usage: CombinedOpenApiFile OUTPUT service=PATH...");
        }
        Map<String, JsonObject> services = new LinkedHashMap<>();
        for (int i = 1; i < args.length; i++) {
            String[] named = args[i].split("=", 2);
            if (named.length != 2) {
                throw new IllegalArgumentException("not service=PATH: " + args[i]);
            }
            services.put(named[0], new JsonObject(Files.readString(Path.of(named[1]))));
        }
        JsonObject combined = CombinedOpenApi.combine(CombinedOpenApi.readOwn(), services);
        Path output = Path.of(args[0]);
        if (output.getParent() != null) {
            Files.createDirectories(output.getParent());
        }
        Files.writeString(output, combined.encodePrettily());
    }
}
