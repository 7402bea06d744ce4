package io.leadsuite.e2e;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import io.leadsuite.kit.testing.TestTokens;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import io.restassured.response.Response;

/**
 * A public web form through the whole suite: the gateway's form token (the forms' own key; the gateway has no other)
 * is accepted by lead-service's captures and contact-service's match-or-create, the visitor gets one answer whatever
 * happened, five posts score once (not sales-ready), and the consent they carry is pending.
 */
class PublicFormIT {

    private static final String MARKETING = TestTokens.forRoles("marketing");
    private static final String KEY = "e2e-form-key-0123456789";
    private static final String ORIGIN = "https://www.example.com";
    private static Suite suite;

    @BeforeAll
    static void startSuite() throws Exception {
        suite = new Suite(Map.of("LEADSUITE_GATEWAY_FORMS_SITES_EXAMPLE_KEY", KEY,
                "LEADSUITE_GATEWAY_FORMS_SITES_EXAMPLE_ORIGIN", ORIGIN,
                "LEADSUITE_GATEWAY_FORMS_SITES_EXAMPLE_SOURCE_REF", "form-42",
                "LEADSUITE_GATEWAY_CORS_ORIGINS", ORIGIN,
                // the test client is the edge here; each post names its visitor
                "LEADSUITE_GATEWAY_TRUSTED_PROXIES", "127.0.0.1/32"));
        suite.startAll();
    }

    @AfterAll
    static void stopSuite() {
        if (suite != null) {
            suite.close();
        }
    }

    private static Response post(String email, int visitor) {
        Response response = null;
        for (int attempt = 0; attempt < 6; attempt++) {
            response = given().baseUri("http://localhost:" + Suite.GATEWAY).header("X-Form-Key", KEY)
                    .header("Origin", ORIGIN).header("X-Forwarded-For", "198.51.100." + visitor)
                    .contentType(ContentType.JSON)
                    .body(Map.of("email", email, "firstName", "Ana", "topic", "solar-panels", "consent", true))
                    .post("/api/forms/captures");
            if (response.statusCode() < 500) {
                break;
            }
        }
        return response;
    }

    private static JsonPath staff(String path) {
        return given().baseUri("http://localhost:" + Suite.GATEWAY).auth().oauth2(MARKETING).get(path).then()
                .statusCode(200).extract().jsonPath();
    }

    /** The lead's scores; empty while scoring has not yet heard of the lead (it answers 404 until then). */
    private static List<Object> scores(String leadId) {
        Response response = given().baseUri("http://localhost:" + Suite.GATEWAY).auth().oauth2(MARKETING)
                .get("/api/leads/" + leadId + "/scores");
        if (response.statusCode() == 404) {
            return List.of();
        }
        assertEquals(200, response.statusCode(), response.asString());
        return response.jsonPath().getList("score");
    }

    @Test
    void fivePostsOfAFormScoreOnceAndTheirConsentWaitsForConfirmation() {
        String email = "visitor." + UUID.randomUUID() + "@example.com";
        for (int i = 1; i <= 5; i++) {
            Response answer = post(email, i);
            assertEquals(202, answer.statusCode(), answer.asString());
            assertEquals("{\"status\":\"received\"}", answer.asString());
            assertEquals(null, answer.header("Location"));
        }
        JsonPath contacts = staff("/api/contacts?email=" + email);
        String contactId = contacts.getString("items[0].id");
        assertEquals(false, contacts.getBoolean("items[0].consent.marketing"));
        assertEquals(true, contacts.getBoolean("items[0].consent.pending"));
        String leadId = staff("/api/leads?contactId=" + contactId).getString("items[0].id");
        // the five posts reach scoring (every one is in the lead's history), but only the first scores
        await().atMost(Duration.ofSeconds(60)).until(() -> staff("/api/leads/" + leadId + "/history?limit=100")
                .getList("items.kind").stream().filter("CAPTURED"::equals).count() >= 4
                && !scores(leadId).isEmpty());
        await().during(Duration.ofSeconds(3)).atMost(Duration.ofSeconds(20))
                .until(() -> List.of(10).equals(scores(leadId)));
        JsonPath lead = staff("/api/leads/" + leadId);
        assertEquals(false, lead.getBoolean("salesReady"));
        assertEquals(List.of(10), scores(leadId));
    }
}
