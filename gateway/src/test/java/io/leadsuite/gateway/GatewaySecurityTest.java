package io.leadsuite.gateway;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.nullValue;

import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.util.List;
import java.util.UUID;

import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jose4j.jws.AlgorithmIdentifiers;
import org.jose4j.jws.JsonWebSignature;
import org.jose4j.jwt.JwtClaims;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import io.leadsuite.kit.testing.TestTokens;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.ValidatableResponse;

/** Authentication and roles at the edge: nothing a rule rejects reaches a service. */
@QuarkusTest
@WithTestResource(FakeUpstreams.class)
class GatewaySecurityTest {

    @ConfigProperty(name = "leadsuite.gateway.upstreams.lead-service")
    String leadService;

    @Test
    void noTokenIs401AndNeverReachesTheService() {
        String requestId = "no-token-" + UUID.randomUUID();
        assertProblem(given().header("X-Request-Id", requestId).contentType("application/json")
                .body("{\"email\":\"ana@example.com\"}").post("/api/captures").then(), 401, "unauthorized")
                .header("WWW-Authenticate", "Bearer")
                .header("X-Request-Id", requestId)
                .body("detail", containsString("token"));
        assertNeverReached(requestId);
        assertProblem(given().get("/api/leads").then(), 401, "unauthorized");
        assertProblem(given().get("/api/unknown").then(), 401, "unauthorized");
    }

    @Test
    void tokenSignedByAnotherKeyIs401() throws Exception {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
        generator.initialize(2048);
        PrivateKey otherKey = generator.generateKeyPair().getPrivate();
        String forged = TestTokens.mint("mallory", TestTokens.ISSUER, 3600, otherKey, "admin");
        String requestId = "forged-" + UUID.randomUUID();
        assertProblem(given().auth().oauth2(forged).header("X-Request-Id", requestId).get("/api/leads").then(), 401,
                "unauthorized")
                .header("WWW-Authenticate", containsString("invalid_token"));
        assertNeverReached(requestId);
    }

    @Test
    void expiredTokenIs401() {
        String expired = TestTokens.mint("late", TestTokens.ISSUER, -600, TestTokens.privateKey(), "admin");
        assertProblem(given().auth().oauth2(expired).get("/api/leads").then(), 401, "unauthorized");
    }

    /** The gateway keeps tokens it has verified (VerifiedTokens): that must change nothing a caller can observe. */
    @Test
    void aTokenVerifiedBeforeStillExpiresOnTimeAndATamperedCopyIsRefused() throws Exception {
        String shortLived = TestTokens.mint("brief", TestTokens.ISSUER, 2, TestTokens.privateKey(), "sales");
        given().auth().oauth2(shortLived).get("/api/leads").then().statusCode(200);
        given().auth().oauth2(shortLived).get("/api/leads").then().statusCode(200);
        // the same claims under a signature that is not the issuer's: another text, so checked in full, and refused
        String tampered = shortLived.substring(0, shortLived.length() - 4)
                + (shortLived.endsWith("AAAA") ? "BBBB" : "AAAA");
        String requestId = "tampered-" + UUID.randomUUID();
        assertProblem(given().auth().oauth2(tampered).header("X-Request-Id", requestId).get("/api/leads").then(), 401,
                "unauthorized");
        assertNeverReached(requestId);
        // once its exp (and the clock skew the verifier allows, 1 s in tests) has passed, the token that was accepted
        // twice is refused
        long exp = Long.parseLong(new String(java.util.Base64.getUrlDecoder().decode(shortLived.split("\\.")[1]),
                java.nio.charset.StandardCharsets.UTF_8).replaceAll(".*\"exp\":(\\d+).*", "$1"));
        Thread.sleep(Math.max(0, exp * 1000 - System.currentTimeMillis()) + 2500);
        assertProblem(given().auth().oauth2(shortLived).get("/api/leads").then(), 401, "unauthorized");
    }

    /**
     * A token verified before takes the fast lane (ApiGateway.fastLane, ahead of Quarkus' authentication handler): it
     * gets the same answers as on its first call, the role check included, and the gateway's own views, unknown paths
     * and forged copies still take the full path.
     */
    @Test
    void aKnownTokenGetsTheSameAnswersOnTheFastLane() {
        String marketing = TestTokens.mint("fast-" + UUID.randomUUID(), TestTokens.ISSUER, 3600, TestTokens.privateKey(),
                "marketing");
        for (int call = 1; call <= 3; call++) {
            String requestId = "fast-lane-" + call + "-" + UUID.randomUUID();
            assertProblem(given().auth().oauth2(marketing).header("X-Request-Id", requestId)
                    .get("/api/crm/leads/sales-ready").then(), 403, "forbidden")
                    .header("X-Request-Id", requestId)
                    .header("Server-Timing", containsString("gateway;dur="));
            assertNeverReached(requestId);
            given().auth().oauth2(marketing).get("/api/leads/l-1").then().statusCode(200)
                    .header("Server-Timing", containsString("upstream;dur="))
                    .body("service", equalTo("lead-service")).body("uri", equalTo("/leads/l-1"));
            assertProblem(given().auth().oauth2(marketing).get("/api/unknown").then(), 404, "not-found");
            given().auth().oauth2(marketing).get("/api/openapi").then().statusCode(200);
        }
        String forged = marketing.substring(0, marketing.length() - 4) + (marketing.endsWith("AAAA") ? "BBBB" : "AAAA");
        assertProblem(given().auth().oauth2(forged).get("/api/leads/l-1").then(), 401, "unauthorized");
    }

    @Test
    void tokenOfAnotherIssuerIs401() {
        String foreign = TestTokens.mint("stranger", "urn:someone:else", 3600, TestTokens.privateKey(), "admin");
        assertProblem(given().auth().oauth2(foreign).get("/api/leads").then(), 401, "unauthorized");
    }

    @Test
    void tokenForAnotherAudienceIs401() throws Exception {
        JwtClaims claims = new JwtClaims();
        claims.setIssuer(TestTokens.ISSUER);
        claims.setAudience("some-other-api");
        claims.setSubject("elsewhere");
        claims.setStringListClaim("groups", List.of("admin"));
        claims.setIssuedAtToNow();
        claims.setExpirationTimeMinutesInTheFuture(10);
        JsonWebSignature jws = new JsonWebSignature();
        jws.setPayload(claims.toJson());
        jws.setKey(TestTokens.privateKey());
        jws.setAlgorithmHeaderValue(AlgorithmIdentifiers.RSA_USING_SHA256);
        assertProblem(given().auth().oauth2(jws.getCompactSerialization()).get("/api/leads").then(), 401,
                "unauthorized");
    }

    @Test
    void malformedTokenIs401() {
        assertProblem(given().header("Authorization", "Bearer not.a.jwt").get("/api/leads").then(), 401,
                "unauthorized");
    }

    @ParameterizedTest(name = "{0} {1} as {2} -> {3}")
    @CsvSource({
            "POST, /api/captures,            sales,     403",
            "POST, /api/captures,            telesales, 403",
            "POST, /api/captures,            crm,       403",
            "POST, /api/captures,            marketing, 200",
            "POST, /api/captures,            admin,     200",
            "POST, /api/interactions,        sales,     403",
            "POST, /api/interactions,        marketing, 200",
            "POST, /api/interactions,        admin,     200",
            "GET,  /api/crm/leads/sales-ready, marketing, 403",
            "GET,  /api/crm/leads/sales-ready, sales,   403",
            "POST, /api/crm/leads/l-1/accept, telesales, 403",
            "GET,  /api/crm/leads/sales-ready, crm,     200",
            "GET,  /api/crm/leads/sales-ready, admin,   200",
            "GET,  /api/leads/l-1,           crm,       200",
            "GET,  /api/leads/l-1,           telesales, 200",
            "GET,  /api/contacts,            sales,     200",
            "POST, /api/contacts,            sales,     200",
            "GET,  /api/leads/l-1/scores,    sales,     200",
            "GET,  /api/leads,               nobody,    403",
            "GET,  /api/unknown,             nobody,    403",
            "GET,  /api/unknown,             sales,     404",
    })
    void rolesDecideWhoGetsThrough(String method, String path, String role, int status) {
        String requestId = "roles-" + UUID.randomUUID();
        ValidatableResponse response = given().auth().oauth2(TestTokens.forRoles(role))
                .header("X-Request-Id", requestId).contentType("application/json").body("{}")
                .request(method, path).then().statusCode(status);
        if (status == 403) {
            assertProblem(response, 403, "forbidden").body("detail", containsString("roles"));
            assertNeverReached(requestId);
        } else if (status == 200) {
            response.body("method", equalTo(method));
        }
    }

    @Test
    void dotSegmentsCannotSmuggleARequestPastARoleCheck() {
        String requestId = "smuggle-" + UUID.randomUUID();
        assertProblem(given().auth().oauth2(TestTokens.forRoles("marketing")).urlEncodingEnabled(false)
                .header("X-Request-Id", requestId)
                .get("/api/leads/../crm/leads/sales-ready").then(), 403, "forbidden");
        assertNeverReached(requestId);
        assertProblem(given().auth().oauth2(TestTokens.forRoles("marketing")).urlEncodingEnabled(false)
                .get("/api/leads/%2e%2e/crm/leads/sales-ready").then(), 403, "forbidden");
        assertProblem(given().auth().oauth2(TestTokens.forRoles("marketing")).urlEncodingEnabled(false)
                .get("/api//crm/leads/sales-ready").then(), 403, "forbidden");
    }

    private ValidatableResponse assertProblem(ValidatableResponse response, int status, String kind) {
        return response.statusCode(status)
                .contentType("application/problem+json")
                .body("type", equalTo("https://leadsuite.io/problems/" + kind))
                .body("title", org.hamcrest.Matchers.notNullValue())
                .body("status", equalTo(status))
                .body("detail", org.hamcrest.Matchers.notNullValue());
    }

    private void assertNeverReached(String requestId) {
        given().baseUri(leadService).get("/_seen?requestId=" + requestId).then().statusCode(200)
                .body("service", nullValue());
    }
}
