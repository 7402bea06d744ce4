package io.leadsuite.e2e;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import io.leadsuite.kit.testing.TestTokens;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import io.restassured.specification.RequestSpecification;

/**
 * A merge and an erasure followed end to end, through the gateway: after {@code contact.merged} the duplicate's leads
 * belong to the survivor; after {@code contact.erased} the contact's leads are closed, their scores are gone, and no
 * table of any service holds the contact's e-mail or name. Needs lead-service and scoring-service to consume
 * {@code contact.merged} and {@code contact.erased} as the contract says.
 */
class ContactLifecycleIT {

    @RegisterExtension
    static final SuiteExtension SUITE = new SuiteExtension();

    private static final String MARKETING = TestTokens.forRoles("marketing");

    private static RequestSpecification gateway() {
        return given().baseUri("http://localhost:" + Suite.GATEWAY).auth().oauth2(MARKETING)
                .contentType(ContentType.JSON);
    }

    private static JsonPath capture(String email, String firstName, String lastName, String topic) {
        var response = Captures.post(ContactLifecycleIT::gateway, Map.of("email", email, "firstName", firstName,
                "lastName", lastName, "company", "Acme", "topic", topic, "source", "MARKETING_FORM", "sourceRef",
                "form-42", "consent", true));
        assertTrue(response.statusCode() == 201 || response.statusCode() == 200, response.asString());
        return response.jsonPath();
    }

    private static JsonPath lead(String leadId) {
        return gateway().get("/api/leads/" + leadId).then().statusCode(200).extract().jsonPath();
    }

    @Test
    void aMergeMovesTheLeadsAndAnErasureLeavesNothingBehind() throws Exception {
        String tag = UUID.randomUUID().toString().substring(0, 8);
        String survivorEmail = "life." + tag + "@example.com";
        String duplicateEmail = "life.other." + tag + "@example.com";
        String firstName = "Lifeana" + tag;
        String lastName = "Lifesilva" + tag;
        JsonPath first = capture(survivorEmail, firstName, lastName, "solar-panels");
        JsonPath second = capture(duplicateEmail, firstName, lastName, "heat-pumps");
        String survivor = first.getString("contactId");
        String duplicate = second.getString("contactId");
        String survivorLead = first.getString("leadId");
        String duplicateLead = second.getString("leadId");
        // both leads scored (the capture counts as FORM_SUBMITTED)
        await().atMost(Duration.ofSeconds(20)).until(() -> !lead(survivorLead).getList("scores").isEmpty()
                && !lead(duplicateLead).getList("scores").isEmpty());

        gateway().body(Map.of("duplicateId", duplicate)).post("/api/contacts/" + survivor + "/merge").then()
                .statusCode(200).body("id", equalTo(survivor));
        gateway().get("/api/contacts/" + duplicate).then().statusCode(200).body("mergedInto", equalTo(survivor));
        // lead-service follows contact.merged: the duplicate's lead now belongs to the survivor
        await().atMost(Duration.ofSeconds(20)).until(() -> survivor.equals(lead(duplicateLead).getString("contactId")));
        await().atMost(Duration.ofSeconds(20)).until(() -> gateway().queryParam("contactId", survivor)
                .get("/api/leads").then().statusCode(200).extract().jsonPath().getList("items.id")
                .containsAll(List.of(survivorLead, duplicateLead)));

        gateway().delete("/api/contacts/" + survivor).then().statusCode(204);
        gateway().get("/api/contacts/" + survivor).then().statusCode(410);
        // lead-service closes the leads, scoring-service drops their scores
        for (String leadId : List.of(survivorLead, duplicateLead)) {
            await().atMost(Duration.ofSeconds(20)).until(() -> !"OPEN".equals(lead(leadId).getString("status")));
            await().atMost(Duration.ofSeconds(20)).until(() -> {
                var response = gateway().get("/api/leads/" + leadId + "/scores");
                return response.statusCode() == 404
                        || (response.statusCode() == 200 && response.jsonPath().getList("$").isEmpty());
            });
        }
        // no row of any database of the suite holds the e-mails or the name (outboxes drain once relayed)
        List<String> values = List.of(survivorEmail, duplicateEmail, firstName, lastName);
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofSeconds(1))
                .until(() -> SuiteDatabases.search(values).hits(), List::isEmpty);
        assertEquals(List.of(), SuiteDatabases.search(values).hits());
    }

}
