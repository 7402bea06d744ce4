package io.leadsuite.gateway;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItems;
import static org.hamcrest.Matchers.nullValue;

import org.junit.jupiter.api.Test;

import io.leadsuite.kit.testing.TestTokens;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;

/** The composite view and the combined OpenAPI, against the fake upstreams. */
@QuarkusTest
@WithTestResource(FakeUpstreams.class)
class OverviewTest {

    static final String SALES = TestTokens.forRoles("sales");

    @Test
    void aContactWithItsLeadsAndTheirScores() {
        given().auth().oauth2(SALES).get("/api/contacts/ov-ana/overview").then().statusCode(200)
                .contentType("application/json")
                .body("contact.id", equalTo("ov-ana"))
                .body("leads.lead.id", hasItems("ov-l1", "ov-l2"))
                .body("leads[0].scores[0].score", equalTo(42))
                .body("leads[1].scores[0].leadId", equalTo("ov-l2"))
                .body("complete", equalTo(true))
                .body("missing", empty());
    }

    @Test
    void aContactThatDoesNotExistIs404() {
        given().auth().oauth2(SALES).get("/api/contacts/ov-missing/overview").then().statusCode(404)
                .contentType("application/problem+json")
                .body("type", equalTo("https://leadsuite.io/problems/not-found"));
    }

    @Test
    void aSlowPartIsMarkedMissingNotAFailure() {
        // lead-service answers the leads of ov-slow-leads after 5 s; the overview's part time-out is 2 s
        given().auth().oauth2(SALES).get("/api/contacts/ov-slow-leads/overview").then().statusCode(200)
                .body("contact.id", equalTo("ov-slow-leads"))
                .body("leads", nullValue())
                .body("complete", equalTo(false))
                .body("missing", equalTo(java.util.List.of("leads")))
                .body("reasons.leads", containsString("lead-service"));
    }

    @Test
    void theOverviewNeedsAToken() {
        given().get("/api/contacts/ov-ana/overview").then().statusCode(401);
    }

    @Test
    void oneOpenApiForTheWholeSuite() {
        given().get("/api/openapi").then().statusCode(200)
                .contentType("application/json")
                // the gateway's own routes
                .body("paths.'/api/contacts/{id}/overview'.get", org.hamcrest.Matchers.notNullValue())
                .body("paths.'/api/stream'.get", org.hamcrest.Matchers.notNullValue())
                // each service's, under /api
                .body("paths.'/api/contacts/{id}'.get.x-service", equalTo("contact-service"))
                .body("paths.'/api/leads/{id}'.get.x-service", equalTo("lead-service"))
                .body("paths.'/api/leads/{id}/scores'.get.x-service", equalTo("scoring-service"))
                // schemas of the same name but different content are kept apart
                .body("components.schemas.Item.description", equalTo("contact-service"))
                .body("components.schemas.'lead-service.Item'.description", equalTo("lead-service"))
                .body("paths.'/api/leads/{id}'.get.responses.'200'.content.'application/json'.schema.'$ref'",
                        equalTo("#/components/schemas/lead-service.Item"))
                .body("x-missing-services", empty());
    }
}
