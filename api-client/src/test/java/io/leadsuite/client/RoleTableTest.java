package io.leadsuite.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import io.leadsuite.gateway.Route;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/**
 * The role table has one source of truth per route: the service's own rule ({@code @RolesAllowed}, which its OpenAPI
 * document states as the scopes of its {@code jwt} requirement). The gateway's table ({@code Route}), which refuses a
 * caller before the request reaches the service, must admit exactly those roles for every operation of every service:
 * a route the gateway admits more widely would reach a service that refuses it, one it admits more narrowly would
 * refuse callers the service serves.
 */
class RoleTableTest {

    static Stream<String> services() {
        return Stream.of("contact-service", "lead-service", "scoring-service");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("services")
    void theGatewayAdmitsExactlyTheRolesEachOperationAllows(String service) throws IOException {
        JsonObject paths = OpenApiDocumentsTest.document(service).getJsonObject("paths");
        List<String> differences = new ArrayList<>();
        int operations = 0;
        for (Map.Entry<String, Object> path : paths) {
            for (Map.Entry<String, Object> operation : (JsonObject) path.getValue()) {
                String method = operation.getKey().toUpperCase(java.util.Locale.ROOT);
                if (!Set.of("GET", "POST", "PUT", "PATCH", "DELETE").contains(method)) {
                    continue;
                }
                Set<String> allowed = roles((JsonObject) operation.getValue());
                if (allowed == null) {
                    continue; // public (health, the service's own documents): not behind the gateway's table
                }
                operations++;
                // a sample request path: every template parameter a value
                String sample = "/api" + path.getKey().replaceAll("\\{[^}]+}", "p-1");
                Set<String> admitted = Route.resolve(sample).map(route -> new TreeSet<>(route.allowedRoles(method)))
                        .orElse(null);
                if (admitted == null) {
                    differences.add(method + " " + path.getKey() + ": no gateway route; the service allows " + allowed);
                } else if (!admitted.equals(allowed)) {
                    differences.add(method + " " + path.getKey() + ": the service allows " + allowed
                            + ", the gateway admits " + admitted);
                }
            }
        }
        assertTrue(operations > 5, service + ": too few operations read (" + operations + ")");
        assertEquals(List.of(), differences, service + ": the gateway's table differs from the service's rules");
    }

    /** The roles of the operation's jwt requirement, sorted; null when it has none. */
    private static Set<String> roles(JsonObject operation) {
        JsonArray security = operation.getJsonArray("security");
        if (security == null) {
            return null;
        }
        for (Object requirement : security) {
            JsonArray scopes = ((JsonObject) requirement).getJsonArray("jwt");
            if (scopes != null) {
                Set<String> roles = new TreeSet<>();
                scopes.forEach(scope -> roles.add(String.valueOf(scope)));
                return roles;
            }
        }
        return null;
    }
}
