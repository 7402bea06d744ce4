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

    /** method, gateway path, service, path there, roles admitted. The contract's role rules; README table. */
    static final Object[][] ROUTES = {
            // lead-service
            { "POST", "/api/captures", "lead-service", "/captures", Set.of(M, A) },
            { "GET", "/api/leads?contactId=c-1&stage=INQUIRY", "lead-service", "/leads?contactId=c-1&stage=INQUIRY",
                    Set.of(M, T, S, A, C) },
            { "POST", "/api/leads", "lead-service", "/leads", Set.of(M, T, S, A) },
            { "GET", "/api/leads/l-1", "lead-service", "/leads/l-1", Set.of(M, T, S, A, C) },
            { "PATCH", "/api/leads/l-1", "lead-service", "/leads/l-1", Set.of(M, T, S, A) },
            { "GET", "/api/leads/l-1/history", "lead-service", "/leads/l-1/history", Set.of(M, T, S, A, C) },
            { "POST", "/api/leads/l-1/transitions", "lead-service", "/leads/l-1/transitions", Set.of(M, T, S, A) },
            { "POST", "/api/leads/l-1/sales-ready", "lead-service", "/leads/l-1/sales-ready", Set.of(T, A) },
            { "POST", "/api/leads/l-1/accept", "lead-service", "/leads/l-1/accept", Set.of(S, A) },
            { "POST", "/api/leads/imports", "lead-service", "/leads/imports", Set.of(M, A) },
            { "GET", "/api/topics", "lead-service", "/topics", Set.of(M, T, S, A, C) },
            { "PUT", "/api/topics/solar-panels", "lead-service", "/topics/solar-panels", Set.of(A) },
            { "POST", "/api/campaigns", "lead-service", "/campaigns", Set.of(M, A) },
            { "GET", "/api/campaigns", "lead-service", "/campaigns", Set.of(M, S, A) },
            { "GET", "/api/campaigns/c-1", "lead-service", "/campaigns/c-1", Set.of(M, S, A) },
            { "PUT", "/api/campaigns/c-1", "lead-service", "/campaigns/c-1", Set.of(M, A) },
            { "GET", "/api/reports/closed-loop?by=campaign", "lead-service", "/reports/closed-loop?by=campaign",
                    Set.of(M, S, A) },
            { "GET", "/api/leads/imports/j-1", "lead-service", "/leads/imports/j-1", Set.of(M, A) },
            { "POST", "/api/leads/imports/j-1/cancel", "lead-service", "/leads/imports/j-1/cancel", Set.of(M, A) },
            { "POST", "/api/leads/l-1/disqualify", "lead-service", "/leads/l-1/disqualify", Set.of(M, T, S, A) },
            { "GET", "/api/leads/funnel?flow=funnel", "lead-service", "/leads/funnel?flow=funnel", Set.of(M, T, S, A) },
            { "GET", "/api/flows", "lead-service", "/flows", Set.of(M, T, S, A, C) },
            { "GET", "/api/flows/marketing-lead", "lead-service", "/flows/marketing-lead", Set.of(M, T, S, A, C) },
            { "PUT", "/api/flows/custom", "lead-service", "/flows/custom", Set.of(A) },
            { "GET", "/api/flows/custom/versions/2", "lead-service", "/flows/custom/versions/2", Set.of(M, T, S, A, C) },
            { "GET", "/api/routing-rules", "lead-service", "/routing-rules", Set.of(A) },
            { "POST", "/api/leads/l-1/recycle", "lead-service", "/leads/l-1/recycle", Set.of(T, S, A) },
            { "POST", "/api/leads/l-1/reopen", "lead-service", "/leads/l-1/reopen", Set.of(M, T, S, A) },
            { "GET", "/api/nurture-triggers", "lead-service", "/nurture-triggers", Set.of(A) },
            { "PUT", "/api/nurture-triggers/t-1", "lead-service", "/nurture-triggers/t-1", Set.of(A) },
            { "GET", "/api/sla/overdue", "lead-service", "/sla/overdue", Set.of(M, T, S, A) },
            { "POST", "/api/routing-rules", "lead-service", "/routing-rules", Set.of(A) },
            { "PUT", "/api/routing-rules/r-1", "lead-service", "/routing-rules/r-1", Set.of(A) },
            { "DELETE", "/api/routing-rules/r-1", "lead-service", "/routing-rules/r-1", Set.of(A) },
            { "GET", "/api/crm/leads/sales-ready?limit=5", "lead-service", "/crm/leads/sales-ready?limit=5",
                    Set.of(C, A) },
            { "POST", "/api/crm/leads/l-1/accept", "lead-service", "/crm/leads/l-1/accept", Set.of(C, A) },
            { "POST", "/api/crm/leads/l-1/reject", "lead-service", "/crm/leads/l-1/reject", Set.of(C, A) },
            { "POST", "/api/crm/leads/l-1/opportunity", "lead-service", "/crm/leads/l-1/opportunity", Set.of(C, A) },
            { "POST", "/api/crm/leads/l-1/close", "lead-service", "/crm/leads/l-1/close", Set.of(C, A) },
            { "POST", "/api/crm/webhooks", "lead-service", "/crm/webhooks", Set.of(C, A) },
            // contact-service
            { "GET", "/api/contacts?q=ana&limit=5", "contact-service", "/contacts?q=ana&limit=5", Set.of(M, T, S, A, C) },
            { "POST", "/api/contacts", "contact-service", "/contacts", Set.of(M, T, S, A) },
            { "GET", "/api/contacts/c-1", "contact-service", "/contacts/c-1", Set.of(M, T, S, A, C) },
            { "PATCH", "/api/contacts/c-1", "contact-service", "/contacts/c-1", Set.of(M, T, S, A) },
            { "DELETE", "/api/contacts/c-1", "contact-service", "/contacts/c-1", Set.of(M, A) },
            { "POST", "/api/contacts/c-1/merge", "contact-service", "/contacts/c-1/merge", Set.of(M, A) },
            { "POST", "/api/contacts/imports", "contact-service", "/contacts/imports", Set.of(M, A) },
            { "GET", "/api/contacts/imports/j-1", "contact-service", "/contacts/imports/j-1", Set.of(M, A) },
            { "DELETE", "/api/contacts/imports/j-1", "contact-service", "/contacts/imports/j-1", Set.of(M, A) },
            { "POST", "/api/contacts/match", "contact-service", "/contacts/match", Set.of(M, A) },
            // scoring-service
            { "POST", "/api/interactions", "scoring-service", "/interactions", Set.of(M, A) },
            { "GET", "/api/scoring/models", "scoring-service", "/scoring/models", Set.of(M, T, S, A) },
            { "POST", "/api/scoring/models", "scoring-service", "/scoring/models", Set.of(M, A) },
            { "GET", "/api/scoring/models/m-1", "scoring-service", "/scoring/models/m-1", Set.of(M, T, S, A) },
            { "PUT", "/api/scoring/models/m-1", "scoring-service", "/scoring/models/m-1", Set.of(M, A) },
            { "POST", "/api/scoring/models/m-1/publish", "scoring-service", "/scoring/models/m-1/publish",
                    Set.of(M, A) },
            { "POST", "/api/scoring/models/m-1/retire", "scoring-service", "/scoring/models/m-1/retire",
                    Set.of(M, A) },
            { "GET", "/api/scoring/models/m-1/versions", "scoring-service", "/scoring/models/m-1/versions",
                    Set.of(M, T, S, A) },
            { "GET", "/api/scoring/models/m-1/versions/2", "scoring-service", "/scoring/models/m-1/versions/2",
                    Set.of(M, T, S, A) },
            { "GET", "/api/scoring/jobs/j-1", "scoring-service", "/scoring/jobs/j-1", Set.of(M, A) },
            { "GET", "/api/leads/l-1/scores", "scoring-service", "/leads/l-1/scores", Set.of(M, T, S, A, C) },
            { "GET", "/api/leads/l-1/scores/history", "scoring-service", "/leads/l-1/scores/history",
                    Set.of(M, T, S, A, C) },
            { "GET", "/api/leads/l-1/scores/m-1/explanation", "scoring-service", "/leads/l-1/scores/m-1/explanation",
                    Set.of(M, T, S, A, C) },
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
            @SuppressWarnings("unchecked")
            Set<String> allowed = (Set<String>) route[4];
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
