package io.leadsuite.lead.rest;

import static io.leadsuite.lead.rest.LeadWorkflowTest.lead;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.UUID;

import org.junit.jupiter.api.Test;

import io.leadsuite.kit.testing.TestTokens;
import io.leadsuite.lead.service.topic.Topics;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;

/** Topics as a managed list: one interest whatever the spelling, display names kept by admins. */
@QuarkusTest
@QuarkusTestResource(FakeContactService.class)
class TopicsTest {

    static final String MARKETING = TestTokens.forRoles("marketing");
    static final String ADMIN = TestTokens.forRoles("admin");

    private static io.restassured.response.Response capture(String email, String topic) {
        return given().auth().oauth2(MARKETING).contentType(ContentType.JSON)
                .body("{\"email\": \"" + email + "\", \"topic\": \"" + topic + "\", \"source\": \"MARKETING_FORM\"}")
                .post("/captures");
    }

    @Test
    void spellingsOfOneTopicAreOneInterest() {
        String run = UUID.randomUUID().toString().substring(0, 8);
        String id = "solar-panels-" + run;
        given().auth().oauth2(MARKETING).contentType(ContentType.JSON).body("{\"name\": \"Solar panels " + run + "\"}")
                .put("/topics/" + id).then().statusCode(403);
        given().auth().oauth2(ADMIN).contentType(ContentType.JSON).body("{\"name\": \"Solar panels " + run + "\"}")
                .put("/topics/" + id).then().statusCode(200).body("id", equalTo(id))
                .body("name", equalTo("Solar panels " + run));
        given().auth().oauth2(ADMIN).contentType(ContentType.JSON).body("{\"name\": \"x\"}")
                .put("/topics/Not A Slug").then().statusCode(422).contentType("application/problem+json");
        given().auth().oauth2(ADMIN).contentType(ContentType.JSON).body("{}").put("/topics/x").then().statusCode(422)
                .body("errors.field", hasItem("name"));

        String email = "topics." + run + "@example.com";
        String first = capture(email, "Solar panels " + run).then().statusCode(201).extract().path("leadId");
        assertEquals(id, lead(first).getString("topic"), "the display name finds the topic");
        // the same interest in other spellings: the open lead is touched, not doubled
        for (String spelling : new String[] { id, "SOLAR_PANELS_" + run, "solar.panels-" + run }) {
            String again = capture(email, spelling).then().statusCode(200).extract().path("leadId");
            assertEquals(first, again, spelling);
        }
        // an unknown topic joins the list (leadsuite.topics.unknown=REGISTER)
        String other = capture(email, "Heat Pumps " + run).then().statusCode(201).extract().path("leadId");
        assertEquals("heat pumps " + run, lead(other).getString("topic"));
        given().auth().oauth2(MARKETING).get("/topics").then().statusCode(200)
                .body("items.id", hasItem("heat pumps " + run)).body("items.name", hasItem("Heat Pumps " + run))
                .body("items.find { it.id == '" + id + "' }.name", equalTo("Solar panels " + run));
        // a renamed topic keeps its id and its leads
        given().auth().oauth2(ADMIN).contentType(ContentType.JSON).body("{\"name\": \"Solar PV " + run + "\"}")
                .put("/topics/" + id).then().statusCode(200).body("name", equalTo("Solar PV " + run));
        assertEquals(first, capture(email, "solar pv " + run).then().statusCode(200).extract().path("leadId"));
    }
}
