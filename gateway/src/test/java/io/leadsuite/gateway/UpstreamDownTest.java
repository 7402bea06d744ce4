package io.leadsuite.gateway;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.anyOf;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.startsWith;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import io.leadsuite.kit.testing.TestTokens;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;

/**
 * scoring-service is down (nothing listens on its port); the gateway says so at once and serves the rest. "At once" is
 * shown by the answer, not by a stopwatch: a refused connection is a 503 saying the service cannot be reached (or, once
 * the circuit opens, that the gateway stopped calling it), where waiting out the upstream time-out would be a 504.
 */
@QuarkusTest
@TestProfile(UpstreamDownTest.ScoringDown.class)
class UpstreamDownTest {

    public static class ScoringDown implements QuarkusTestProfile {
        @Override
        public List<TestResourceEntry> testResources() {
            return List.of(new TestResourceEntry(FakeUpstreams.class, Map.of("down", "scoring-service")));
        }
    }

    static final String MARKETING = TestTokens.forRoles("marketing");

    @Test
    void answers503WithoutWaitingWhileOtherRoutesStillAnswer() {
        given().auth().oauth2(MARKETING).contentType("application/json").body("{}").post("/api/interactions");
        for (int i = 0; i < 5 && given().auth().oauth2(MARKETING).get("/api/leads/l-0").statusCode() != 200; i++) {
            // try again
        }
        given().auth().oauth2(MARKETING).get("/api/leads/l-0").then().statusCode(200);
        for (int i = 0; i < 5; i++) {
            given().auth().oauth2(MARKETING)
                    .header("X-Request-Id", "down-" + i).contentType("application/json")
                    .body("{\"id\":\"i-1\",\"type\":\"EMAIL_CLICKED\",\"email\":\"ana@example.com\"}")
                    .post("/api/interactions").then().statusCode(503)
                    .contentType("application/problem+json")
                    .header("X-Request-Id", "down-" + i)
                    .header("Retry-After", "5")
                    .body("type", equalTo("https://leadsuite.io/problems/upstream-unavailable"))
                    .body("title", equalTo("Service unavailable"))
                    .body("status", equalTo(503))
                    .body("detail", anyOf(equalTo("scoring-service cannot be reached; try again later"),
                            startsWith("scoring-service is failing")))
                    .body("instance", equalTo("/api/interactions"));

            given().auth().oauth2(MARKETING).get("/api/leads/l-1/scores").then().statusCode(503);
            given().auth().oauth2(MARKETING).get("/api/leads/l-1").then().statusCode(200)
                    .body("service", equalTo("lead-service"));
            given().auth().oauth2(MARKETING).get("/api/contacts/c-1").then().statusCode(200)
                    .body("service", equalTo("contact-service"));
        }
        given().get("/q/health/ready").then().statusCode(200);
    }

    @Test
    void theOverviewIsPartialWhenScoringIsDown() {
        given().auth().oauth2(MARKETING).get("/api/contacts/ov-ana/overview").then().statusCode(200)
                .body("contact.id", equalTo("ov-ana"))
                .body("leads.lead.id", org.hamcrest.Matchers.hasItems("ov-l1", "ov-l2"))
                .body("leads[0].scores", org.hamcrest.Matchers.nullValue())
                .body("complete", equalTo(false))
                .body("missing", equalTo(List.of("scores")))
                .body("reasons.scores", containsString("scoring-service"));
    }

    @Test
    void theBreakerOpensAndThenAnswersWithoutTryingAndOtherUpstreamsStayClosed() {
        // 10 calls in the window, all failing: the breaker of scoring-service opens
        for (int i = 0; i < 12; i++) {
            given().auth().oauth2(MARKETING).get("/api/scoring/models").then().statusCode(503);
        }
        given().auth().oauth2(MARKETING).get("/api/scoring/models").then().statusCode(503)
                .contentType("application/problem+json")
                .header("Retry-After", "5")
                .body("detail", containsString("circuit open"));
        given().auth().oauth2(MARKETING).get("/api/leads/l-1").then().statusCode(200);
        String metrics = given().get("/q/metrics").then().extract().asString();
        assertTrue(metrics.contains("leadsuite_gateway_circuit_open{upstream=\"scoring-service\"} 1.0"), metrics);
        assertTrue(metrics.contains("leadsuite_gateway_circuit_open{upstream=\"lead-service\"} 0.0"));
    }
}
