package io.leadsuite.gateway;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;

import java.security.KeyPairGenerator;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Stream;

import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import io.leadsuite.kit.testing.TestTokens;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.ValidatableResponse;

/**
 * Every {@code /api} route of CONTRACT.md (and the routes the services add) against every kind of caller: no token,
 * a token signed by another key, an expired token, a token of another issuer (401 each), and a valid token of each
 * role (403 or the service's answer). A rejected request never reaches a service; an admitted one reaches the right
 * service at the right path.
 */
@QuarkusTest
@WithTestResource(FakeUpstreams.class)
class RouteMatrixTest {

    static final String M = "marketing";
    static final String T = "telesales";
    static final String S = "sales";
    static final String A = "admin";
    static final String C = "crm";
    static final List<String> ROLES = List.of(M, T, S, A, C);

    /**
     * method, gateway path, service, path there. The roles each route admits are the gateway's table's
     * ({@link Route#allowedRoles}), checked against each service's {@code @RolesAllowed} by api-client's
     * {@code RoleTableTest}; this test proves the gateway enforces them for every caller and forwards to the right place.
     */
    static final Object[][] ROUTES = {
            // lead-service
            { "POST", "/api/captures", "lead-service", "/captures" },
            { "GET", "/api/leads?contactId=c-1&stage=INQUIRY", "lead-service", "/leads?contactId=c-1&stage=INQUIRY" },
            { "POST", "/api/leads", "lead-service", "/leads" },
            { "GET", "/api/leads/l-1", "lead-service", "/leads/l-1" },
            { "PATCH", "/api/leads/l-1", "lead-service", "/leads/l-1" },
            { "GET", "/api/leads/l-1/history", "lead-service", "/leads/l-1/history" },
            { "POST", "/api/leads/l-1/transitions", "lead-service", "/leads/l-1/transitions" },
            { "POST", "/api/leads/l-1/sales-ready", "lead-service", "/leads/l-1/sales-ready" },
            { "POST", "/api/leads/l-1/accept", "lead-service", "/leads/l-1/accept" },
            { "POST", "/api/leads/imports", "lead-service", "/leads/imports" },
            { "GET", "/api/topics", "lead-service", "/topics" },
            { "PUT", "/api/topics/solar-panels", "lead-service", "/topics/solar-panels" },
            { "POST", "/api/campaigns", "lead-service", "/campaigns" },
            { "GET", "/api/campaigns", "lead-service", "/campaigns" },
            { "GET", "/api/campaigns/c-1", "lead-service", "/campaigns/c-1" },
            { "PUT", "/api/campaigns/c-1", "lead-service", "/campaigns/c-1" },
            { "GET", "/api/reports/closed-loop?by=campaign", "lead-service", "/reports/closed-loop?by=campaign" },
            { "GET", "/api/leads/imports/j-1", "lead-service", "/leads/imports/j-1" },
            { "POST", "/api/leads/imports/j-1/cancel", "lead-service", "/leads/imports/j-1/cancel" },
            { "POST", "/api/leads/l-1/disqualify", "lead-service", "/leads/l-1/disqualify" },
            { "GET", "/api/leads/funnel?flow=funnel", "lead-service", "/leads/funnel?flow=funnel" },
            { "GET", "/api/flows", "lead-service", "/flows" },
            { "GET", "/api/flows/marketing-lead", "lead-service", "/flows/marketing-lead" },
            { "PUT", "/api/flows/custom", "lead-service", "/flows/custom" },
            { "GET", "/api/flows/custom/versions/2", "lead-service", "/flows/custom/versions/2" },
            { "GET", "/api/routing-rules", "lead-service", "/routing-rules" },
            { "POST", "/api/leads/l-1/recycle", "lead-service", "/leads/l-1/recycle" },
            { "POST", "/api/leads/l-1/reopen", "lead-service", "/leads/l-1/reopen" },
            { "GET", "/api/nurture-triggers", "lead-service", "/nurture-triggers" },
            { "PUT", "/api/nurture-triggers/t-1", "lead-service", "/nurture-triggers/t-1" },
            { "GET", "/api/sla/overdue", "lead-service", "/sla/overdue" },
            { "POST", "/api/routing-rules", "lead-service", "/routing-rules" },
            { "PUT", "/api/routing-rules/r-1", "lead-service", "/routing-rules/r-1" },
            { "DELETE", "/api/routing-rules/r-1", "lead-service", "/routing-rules/r-1" },
            { "GET", "/api/crm/leads/sales-ready?limit=5", "lead-service", "/crm/leads/sales-ready?limit=5" },
            { "POST", "/api/crm/leads/l-1/accept", "lead-service", "/crm/leads/l-1/accept" },
            { "POST", "/api/crm/leads/l-1/reject", "lead-service", "/crm/leads/l-1/reject" },
            { "POST", "/api/crm/leads/l-1/opportunity", "lead-service", "/crm/leads/l-1/opportunity" },
            { "POST", "/api/crm/leads/l-1/close", "lead-service", "/crm/leads/l-1/close" },
            { "POST", "/api/crm/webhooks", "lead-service", "/crm/webhooks" },
            // contact-service
            { "GET", "/api/contacts?q=ana&limit=5", "contact-service", "/contacts?q=ana&limit=5" },
            { "POST", "/api/contacts", "contact-service", "/contacts" },
            { "GET", "/api/contacts/c-1", "contact-service", "/contacts/c-1" },
            { "PATCH", "/api/contacts/c-1", "contact-service", "/contacts/c-1" },
            { "DELETE", "/api/contacts/c-1", "contact-service", "/contacts/c-1" },
            { "POST", "/api/contacts/c-1/merge", "contact-service", "/contacts/c-1/merge" },
            { "POST", "/api/contacts/imports", "contact-service", "/contacts/imports" },
            { "GET", "/api/contacts/imports/j-1", "contact-service", "/contacts/imports/j-1" },
            { "DELETE", "/api/contacts/imports/j-1", "contact-service", "/contacts/imports/j-1" },
            { "POST", "/api/contacts/match", "contact-service", "/contacts/match" },
            // scoring-service
            { "POST", "/api/interactions", "scoring-service", "/interactions" },
            { "GET", "/api/scoring/models", "scoring-service", "/scoring/models" },
            { "POST", "/api/scoring/models", "scoring-service", "/scoring/models" },
            { "GET", "/api/scoring/models/m-1", "scoring-service", "/scoring/models/m-1" },
            { "PUT", "/api/scoring/models/m-1", "scoring-service", "/scoring/models/m-1" },
            { "POST", "/api/scoring/models/m-1/publish", "scoring-service", "/scoring/models/m-1/publish" },
            { "POST", "/api/scoring/models/m-1/retire", "scoring-service", "/scoring/models/m-1/retire" },
            { "GET", "/api/scoring/models/m-1/versions", "scoring-service", "/scoring/models/m-1/versions" },
            { "GET", "/api/scoring/models/m-1/versions/2", "scoring-service", "/scoring/models/m-1/versions/2" },
            { "GET", "/api/scoring/jobs/j-1", "scoring-service", "/scoring/jobs/j-1" },
            { "GET", "/api/leads/l-1/scores", "scoring-service", "/leads/l-1/scores" },
            { "GET", "/api/leads/l-1/scores/history", "scoring-service", "/leads/l-1/scores/history" },
            { "GET", "/api/leads/l-1/scores/m-1/explanation", "scoring-service", "/leads/l-1/scores/m-1/explanation" },
    };

    static final String BAD_SIGNATURE;
    static final String EXPIRED = TestTokens.mint("late", TestTokens.ISSUER, -600, TestTokens.privateKey(), A);
    static final String WRONG_ISSUER = TestTokens.mint("stranger", "urn:someone:else", 3600, TestTokens.privateKey(),
            A);

    static {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
            generator.initialize(2048);
            BAD_SIGNATURE = TestTokens.mint("mallory", TestTokens.ISSUER, 3600,
                    generator.generateKeyPair().getPrivate(), A);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    @ConfigProperty(name = "leadsuite.gateway.upstreams.lead-service")
    String leadService;

    static Stream<Arguments> matrix() {
        List<Arguments> cases = new ArrayList<>();
        for (Object[] route : ROUTES) {
            String method = (String) route[0];
            String path = ((String) route[1]).split("\\?", 2)[0];
            Set<String> allowed = Route.resolve(path).orElseThrow().allowedRoles(method);
            for (String caller : List.of("none", "bad-signature", "expired", "wrong-issuer")) {
                cases.add(Arguments.of(route[0], route[1], route[2], route[3], caller, 401));
            }
            for (String role : ROLES) {
                cases.add(Arguments.of(route[0], route[1], route[2], route[3], role, allowed.contains(role) ? 200 : 403));
            }
        }
        return cases.stream();
    }

    @ParameterizedTest(name = "{0} {1} as {4} -> {5}")
    @MethodSource("matrix")
    void everyRouteForEveryCaller(String method, String path, String service, String upstreamUri, String caller,
            int expected) {
        String requestId = "matrix-" + UUID.randomUUID();
        var request = given().urlEncodingEnabled(false).header("X-Request-Id", requestId)
                .contentType("application/json").body("{}");
        String token = switch (caller) {
            case "none" -> null;
            case "bad-signature" -> BAD_SIGNATURE;
            case "expired" -> EXPIRED;
            case "wrong-issuer" -> WRONG_ISSUER;
            default -> TestTokens.forRoles(caller);
        };
        if (token != null) {
            request.auth().oauth2(token);
        }
        ValidatableResponse response = request.request(method, path).then().statusCode(expected)
                .header("X-Request-Id", requestId);
        if (expected == 200) {
            response.body("service", equalTo(service)).body("method", equalTo(method)).body("uri",
                    equalTo(upstreamUri));
        } else {
            response.contentType("application/problem+json").body("status", equalTo(expected))
                    .body("type", equalTo("https://leadsuite.io/problems/"
                            + (expected == 401 ? "unauthorized" : "forbidden")));
            // nothing rejected reaches a service
            for (String base : List.of(leadService)) {
                given().baseUri(base).get("/_seen?requestId=" + requestId).then().statusCode(200)
                        .body("service", org.hamcrest.Matchers.nullValue());
            }
        }
    }
}
