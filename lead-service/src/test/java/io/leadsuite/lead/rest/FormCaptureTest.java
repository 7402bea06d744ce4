package io.leadsuite.lead.rest;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.UUID;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import io.leadsuite.kit.testing.EventProbe;
import io.leadsuite.kit.testing.TestTokens;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.vertx.core.json.JsonObject;

/**
 * Captures from public web forms: authorised by the gateway's form token (its own key pair, {@code X-Form-Token}),
 * which gives the role form and nothing else, answered without ids, and marked anonymous for scoring.
 */
@QuarkusTest
@QuarkusTestResource(FakeContactService.class)
class FormCaptureTest {

    private static final String MARKETING = TestTokens.forRoles("marketing");

    @Inject
    EventProbe events;

    private static String body(String email) {
        return "{\"email\": \"" + email + "\", \"topic\": \"solar-panels\", \"source\": \"MARKETING_FORM\", "
                + "\"sourceRef\": \"form-42\", \"consent\": true}";
    }

    @Test
    void aFormCaptureIsReceivedWithoutSayingWhetherTheEmailWasKnown() {
        String email = "form." + UUID.randomUUID() + "@example.com";
        String token = TestTokens.form("example");
        for (int i = 0; i < 2; i++) {
            // the first creates contact and lead, the second touches them: one answer for both
            given().header("X-Form-Token", token).contentType(ContentType.JSON).body(body(email)).post("/captures")
                    .then().statusCode(202).header("Location", nullValue())
                    .body(equalTo("{\"status\":\"received\"}"));
        }
        // the credential went on to contact-service's match-or-create (consent pending there)
        assertTrue(FakeContactService.FORM_MATCHES.contains(email));
        JsonObject created = events.await("lead.created", d -> d.getJsonObject("capture") != null
                && d.getJsonObject("capture").getBoolean("anonymous", false));
        assertEquals(true, created.getJsonObject("data").getJsonObject("capture").getBoolean("anonymous"));
        // staff captures are not anonymous, and still get the ids
        String leadId = given().auth().oauth2(MARKETING).contentType(ContentType.JSON)
                .body(body("staff." + UUID.randomUUID() + "@example.com")).post("/captures").then().statusCode(201)
                .extract().path("leadId");
        JsonObject staff = events.await("lead.created", d -> leadId.equals(d.getString("leadId")));
        assertEquals(false, staff.getJsonObject("data").getJsonObject("capture").getBoolean("anonymous"));
    }

    @Test
    void aFormTokenOpensNothingButCaptures() {
        // whatever roles it claims, a form token makes the caller "form" on POST /captures only
        String claimsAdmin = TestTokens.form("example", "admin", "marketing");
        given().header("X-Form-Token", claimsAdmin).contentType(ContentType.JSON)
                .body(body("claims." + UUID.randomUUID() + "@example.com")).post("/captures").then().statusCode(202);
        given().header("X-Form-Token", claimsAdmin).get("/leads").then().statusCode(401);
        given().auth().oauth2(claimsAdmin).get("/leads").then().statusCode(401);
        given().auth().oauth2(claimsAdmin).contentType(ContentType.JSON)
                .body(body("bearer." + UUID.randomUUID() + "@example.com")).post("/captures").then().statusCode(401);
    }

    @Test
    void onlyTheFormsKeyMakesAFormToken() {
        // signed with the suite issuer's key (the one the gateway used to hold): not a form token
        String issuerSigned = TestTokens.mint("form:example", "urn:leadsuite:forms", "leadsuite-forms", 300,
                TestTokens.privateKey(), "form");
        given().header("X-Form-Token", issuerSigned).contentType(ContentType.JSON)
                .body(body("forged." + UUID.randomUUID() + "@example.com")).post("/captures").then().statusCode(401);
        // a staff token of a role that may not capture is still refused
        given().auth().oauth2(TestTokens.forRoles("sales")).contentType(ContentType.JSON)
                .body(body("sales." + UUID.randomUUID() + "@example.com")).post("/captures").then().statusCode(403);
    }
}
