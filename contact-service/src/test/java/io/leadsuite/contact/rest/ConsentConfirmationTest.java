package io.leadsuite.contact.rest;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.HexFormat;
import java.util.UUID;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import io.agroal.api.AgroalDataSource;
import io.leadsuite.kit.testing.EventProbe;
import io.leadsuite.kit.testing.TestTokens;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.vertx.core.json.JsonObject;

/** Double opt-in: consent from a public web form is pending until the person confirms it with the e-mailed token. */
@QuarkusTest
class ConsentConfirmationTest {

    private static final String MARKETING = TestTokens.forRoles("marketing");
    private static final String FORM = TestTokens.form("example");

    @Inject
    EventProbe events;
    @Inject
    AgroalDataSource db;

    private static String body(String email) {
        return "{\"email\": \"" + email + "\", \"firstName\": \"Ana\", \"consent\": true, "
                + "\"consentSource\": \"MARKETING_FORM form-42\"}";
    }

    private long rows(String sql, Object value) throws Exception {
        try (Connection c = db.getConnection(); PreparedStatement s = c.prepareStatement(sql)) {
            s.setObject(1, value);
            try (ResultSet r = s.executeQuery()) {
                r.next();
                return r.getLong(1);
            }
        }
    }

    private static String sha256(String token) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                .digest(token.getBytes(StandardCharsets.UTF_8)));
    }

    @Test
    void consentFromAPublicFormIsPendingUntilThePersonConfirmsIt() throws Exception {
        String email = "optin." + UUID.randomUUID() + "@example.com";
        String id = given().header("X-Form-Token", FORM).contentType(ContentType.JSON).body(body(email))
                .post("/contacts/match").then().statusCode(201)
                .body("contact.consent.marketing", equalTo(false))
                .body("contact.consent.pending", equalTo(true))
                .extract().path("contact.id");
        given().auth().oauth2(MARKETING).get("/contacts/" + id).then().statusCode(200)
                .body("consent.marketing", equalTo(false)).body("consent.pending", equalTo(true));

        // the e-mail system's event: contact, e-mail, token, expiry; only the token's hash is stored
        JsonObject requested = events.await("consent.confirmation-requested", d -> id.equals(d.getString("contactId")));
        JsonObject data = requested.getJsonObject("data");
        assertEquals(email, data.getString("email"));
        String token = data.getString("token");
        assertTrue(token.length() >= 43, token);
        assertEquals(1, rows("select count(*) from consent_confirmation where token_hash = ?", sha256(token)));
        assertEquals(0, rows("select count(*) from consent_confirmation where token_hash = ?", token));

        // posting the form again while the confirmation is open sends no second e-mail
        given().header("X-Form-Token", FORM).contentType(ContentType.JSON).body(body(email))
                .post("/contacts/match").then().statusCode(200).body("contact.consent.pending", equalTo(true));
        Thread.sleep(1500);
        assertEquals(1, events.all("consent.confirmation-requested", d -> id.equals(d.getString("contactId"))).size());

        // no staff token: the token is the credential
        given().contentType(ContentType.JSON).body("{\"token\": \"" + token + "\"}").post("/consent/confirm")
                .then().statusCode(200).body("status", equalTo("confirmed"));
        given().auth().oauth2(MARKETING).get("/contacts/" + id).then().statusCode(200)
                .body("consent.marketing", equalTo(true)).body("consent.pending", equalTo(false))
                .body("consent.source", equalTo("MARKETING_FORM form-42 (confirmed)"));
        events.await("contact.updated", d -> id.equals(d.getString("contactId")) && d.getBoolean("marketingConsent"));

        // used once
        given().contentType(ContentType.JSON).body("{\"token\": \"" + token + "\"}").post("/consent/confirm")
                .then().statusCode(422).contentType("application/problem+json")
                .body("errors[0].field", equalTo("token"));
    }

    @Test
    void unknownExpiredAndMalformedTokensAreProblemsNotErrors() throws Exception {
        given().contentType(ContentType.JSON).body("{\"token\": \"no-such-token\"}").post("/consent/confirm")
                .then().statusCode(422).contentType("application/problem+json");
        given().contentType(ContentType.JSON).body("{}").post("/consent/confirm")
                .then().statusCode(422).contentType("application/problem+json");
        given().contentType(ContentType.JSON).body("[1").post("/consent/confirm")
                .then().statusCode(400).contentType("application/problem+json");

        String email = "expired." + UUID.randomUUID() + "@example.com";
        String id = given().header("X-Form-Token", FORM).contentType(ContentType.JSON).body(body(email))
                .post("/contacts/match").then().statusCode(201).extract().path("contact.id");
        String token = events.await("consent.confirmation-requested", d -> id.equals(d.getString("contactId")))
                .getJsonObject("data").getString("token");
        try (Connection c = db.getConnection();
                PreparedStatement s = c.prepareStatement(
                        "update consent_confirmation set expires_at = now() - interval '1 minute' where contact_id = ?")) {
            s.setObject(1, UUID.fromString(id));
            s.executeUpdate();
        }
        given().contentType(ContentType.JSON).body("{\"token\": \"" + token + "\"}").post("/consent/confirm")
                .then().statusCode(422).contentType("application/problem+json");
        given().auth().oauth2(MARKETING).get("/contacts/" + id).then().statusCode(200)
                .body("consent.marketing", equalTo(false));
    }

    @Test
    void staffCapturesKeepTheirConsentAndFormTokensOpenNothingElse() {
        String email = "staff." + UUID.randomUUID() + "@example.com";
        given().auth().oauth2(MARKETING).contentType(ContentType.JSON).body(body(email)).post("/contacts/match")
                .then().statusCode(201).body("contact.consent.marketing", equalTo(true))
                .body("contact.consent.pending", equalTo(false));
        // a form token is for match-or-create only
        given().header("X-Form-Token", FORM).get("/contacts?email=" + email).then().statusCode(401);
        given().header("X-Form-Token", FORM).contentType(ContentType.JSON).body(body("x." + email))
                .post("/contacts").then().statusCode(401);
    }
}
