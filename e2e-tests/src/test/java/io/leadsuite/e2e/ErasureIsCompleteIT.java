package io.leadsuite.e2e;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.ServerSocket;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import io.leadsuite.kit.testing.TestTokens;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import io.restassured.specification.RequestSpecification;

/**
 * A GDPR erasure, end to end, leaves nothing about the person in any database of the suite. The contact has two
 * leads (one with a qualification need naming the person, one disqualified with a reason naming them), scores from
 * interactions (one named the contact by e-mail only), a stored idempotent answer, and webhook deliveries still
 * pending (the CRM's endpoint is down) whose bodies carry the free text. After the erasure, and an interaction sent
 * late about the erased contact, every row of every table of every database is searched for the e-mail, the names
 * and the phone number: none holds them.
 */
class ErasureIsCompleteIT {

    private static final String MARKETING = TestTokens.forRoles("marketing");
    private static final String CRM = TestTokens.forRoles("crm");
    private static Suite suite;

    @BeforeAll
    static void startSuite() throws Exception {
        suite = new Suite();
        suite.startAll();
    }

    @AfterAll
    static void stopSuite() {
        if (suite != null) {
            suite.close();
        }
    }

    private static RequestSpecification gateway() {
        return given().baseUri("http://localhost:" + Suite.GATEWAY).auth().oauth2(MARKETING)
                .contentType(ContentType.JSON);
    }

    private static JsonPath lead(String leadId) {
        return gateway().get("/api/leads/" + leadId).then().statusCode(200).extract().jsonPath();
    }

    @Test
    void anErasedContactLeavesNoRowHoldingItsEmailNamesOrPhone() throws Exception {
        String tag = UUID.randomUUID().toString().substring(0, 8);
        String email = "erasure." + tag + "@example.com";
        String firstName = "Gdprina" + tag;
        String lastName = "Forgotten" + tag;
        // a valid Portuguese mobile number (contact-service validates phones): 96 and seven digits. Not 91: the test
        // database is shared with contact-service's tests, whose import test stores +35191 0000000 to 0099999, and
        // the search below would find such a number as this person's.
        String phone = String.format("+35196%07d", Math.floorMod(tag.hashCode(), 10_000_000));
        List<String> person = List.of(email, firstName, lastName, phone);

        // a CRM subscribed to lead events; its endpoint is down, so deliveries wait (with the lead's free text)
        int closedPort;
        try (ServerSocket socket = new ServerSocket(0)) {
            closedPort = socket.getLocalPort();
        }
        String subscription = given().baseUri("http://localhost:" + Suite.LEAD).auth().oauth2(CRM)
                .contentType(ContentType.JSON)
                .body(Map.of("url", "http://localhost:" + closedPort + "/hook", "secret", "whsec_" + tag + tag,
                        "events", List.of("lead.created", "lead.updated", "lead.closed", "lead.captured")))
                .post("/crm/webhooks").then().statusCode(201).extract().path("id");

        // an interaction names the person by e-mail before the contact exists (scoring keeps it until it can)
        gateway().body(List.of(Map.of("id", "early-" + tag, "type", "PAGE_VISITED", "email", email,
                "occurredAt", Instant.now().toString(), "attributes", Map.of("url", "https://example.com/pricing"))))
                .post("/api/interactions").then().statusCode(202);
        // the contact is created with an Idempotency-Key (its stored answer holds the contact), then captured twice
        String contactId = gateway().header("Idempotency-Key", "erasure-" + tag)
                .body(Map.of("email", email, "firstName", firstName, "lastName", lastName, "phone", phone,
                        "company", "Acme " + lastName, "consent", true))
                .post("/api/contacts").then().statusCode(201).extract().path("id");
        String[] leads = new String[2];
        String[] topics = { "solar-panels", "heat-pumps" };
        for (int i = 0; i < 2; i++) {
            var response = Captures.post(ErasureIsCompleteIT::gateway, Map.of("email", email, "firstName",
                    firstName, "lastName", lastName, "topic", topics[i], "source", "MARKETING_FORM", "sourceRef",
                    "form-" + lastName, "consent", true));
            assertTrue(response.statusCode() == 201 || response.statusCode() == 200, response.asString());
            assertEquals(contactId, response.jsonPath().getString("contactId"));
            leads[i] = response.jsonPath().getString("leadId");
        }
        gateway().body(List.of(Map.of("id", "opened-" + tag, "type", "EMAIL_OPENED", "contactId", contactId,
                "occurredAt", Instant.now().toString(), "attributes", Map.of("campaign", "spring " + lastName))))
                .post("/api/interactions").then().statusCode(202);
        for (String leadId : leads) {
            await().atMost(Duration.ofSeconds(60)).until(() -> !lead(leadId).getList("scores").isEmpty());
        }
        // free text about the person: a qualification need on one lead, a disqualification reason on the other
        gateway().contentType("application/merge-patch+json")
                .body(Map.of("qualification", Map.of("need", "Call " + firstName + " " + lastName + " on " + phone)))
                .patch("/api/leads/" + leads[0]).then().statusCode(200);
        gateway().body(Map.of("reason", firstName + " " + lastName + " asked us to wait"))
                .post("/api/leads/" + leads[1] + "/disqualify").then().statusCode(200);
        SuiteDatabases.Search before = SuiteDatabases.search(person);
        assertTrue(before.hits().size() > 5, "the person is stored before the erasure: " + before.hits());

        gateway().delete("/api/contacts/" + contactId).then().statusCode(204);
        gateway().get("/api/contacts/" + contactId).then().statusCode(410);
        // sent late by a tracking system that has not heard of the erasure
        gateway().body(List.of(Map.of("id", "late-" + tag, "type", "EMAIL_CLICKED", "contactId", contactId,
                "occurredAt", Instant.now().toString(), "attributes", Map.of("campaign", "late " + lastName))))
                .post("/api/interactions").then().statusCode(202);

        for (String leadId : leads) {
            await().atMost(Duration.ofSeconds(60)).until(() -> "DISQUALIFIED".equals(lead(leadId).getString("status")));
            await().atMost(Duration.ofSeconds(60)).until(() -> {
                var response = gateway().get("/api/leads/" + leadId + "/scores");
                return response.statusCode() == 404
                        || (response.statusCode() == 200 && response.jsonPath().getList("$").isEmpty());
            });
        }
        // the relays drain, the consumers apply the erasure: then no row anywhere holds the person
        await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofSeconds(2))
                .until(() -> SuiteDatabases.search(person).hits(), List::isEmpty);
        SuiteDatabases.Search after = SuiteDatabases.search(person);
        System.out.printf("[e2e] erasure search: databases %s, %d tables, %d columns, %d rows searched, "
                + "found: %s%n", after.databases(), after.tables(), after.columns(), after.rows(), after.hits());
        assertEquals(List.of("contact", "lead", "scoring"), after.databases());
        assertEquals(List.of(), after.hits());
        // the CRM's pending deliveries of the erased leads were cancelled, not sent later
        List<String> states = given().baseUri("http://localhost:" + Suite.LEAD).auth().oauth2(CRM)
                .get("/crm/webhooks/" + subscription + "/deliveries?limit=200").then().statusCode(200).extract()
                .jsonPath().getList("items.state");
        assertTrue(!states.isEmpty() && states.stream().noneMatch("PENDING"::equals), states.toString());
        given().baseUri("http://localhost:" + Suite.LEAD).auth().oauth2(CRM).delete("/crm/webhooks/" + subscription)
                .then().statusCode(204);
    }
}
