package io.leadsuite.contact.rest;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.notNullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.IntStream;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import io.leadsuite.kit.testing.EventProbe;
import io.leadsuite.kit.testing.TestTokens;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;

@QuarkusTest
class ContactResourceTest {

    private static final String MARKETING = TestTokens.forRoles("marketing");

    @Inject
    EventProbe events;

    private static String uniqueEmail() {
        return "ana." + UUID.randomUUID() + "@example.com";
    }

    @Test
    void matchOrCreateFindsTheSameContactByNormalisedEmail() {
        String email = uniqueEmail();
        String id = given().auth().oauth2(MARKETING).contentType(ContentType.JSON)
                .body("{\"email\": \"  " + email.toUpperCase() + " \", \"firstName\": \"Ana\", \"country\": \"pt\"}")
                .post("/contacts/match")
                .then().statusCode(201)
                .body("created", equalTo(true))
                .body("contact.email", equalTo(email))
                .body("contact.country", equalTo("PT"))
                .extract().path("contact.id");

        given().auth().oauth2(MARKETING).contentType(ContentType.JSON)
                .body("{\"email\": \"" + email + "\", \"firstName\": \"Someone else\"}")
                .post("/contacts/match")
                .then().statusCode(200)
                .body("created", equalTo(false))
                .body("contact.id", equalTo(id))
                .body("contact.firstName", equalTo("Ana"));

        var event = events.await("contact.created", data -> id.equals(data.getString("contactId")));
        assertEquals(email, event.getJsonObject("data").getString("email"));
        assertEquals(1L, event.getLong("sequence"));
        assertEquals(id, event.getString("subject"));
        assertEquals(1, events.all("contact.created", data -> id.equals(data.getString("contactId"))).size());
    }

    @Test
    void racingCapturesWithOneEmailMakeOneContact() throws Exception {
        String email = uniqueEmail();
        ExecutorService pool = Executors.newFixedThreadPool(16);
        try {
            List<Callable<String>> calls = IntStream.range(0, 48).<Callable<String>> mapToObj(i -> () -> given()
                    .auth().oauth2(MARKETING).contentType(ContentType.JSON)
                    .body("{\"email\": \"" + (i % 2 == 0 ? email : email.toUpperCase()) + "\"}")
                    .post("/contacts/match")
                    .then().statusCode(org.hamcrest.Matchers.oneOf(200, 201))
                    .extract().path("contact.id")).toList();
            Set<String> ids = new HashSet<>();
            for (Future<String> f : pool.invokeAll(calls)) {
                ids.add(f.get());
            }
            assertEquals(1, ids.size(), "one contact for one e-mail");
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void createAnswers409NamingTheExistingContact() {
        String email = uniqueEmail();
        String id = given().auth().oauth2(MARKETING).contentType(ContentType.JSON)
                .body("{\"email\": \"" + email + "\"}")
                .post("/contacts")
                .then().statusCode(201)
                .header("Location", org.hamcrest.Matchers.endsWith("/contacts/" + given().auth().oauth2(MARKETING)
                        .queryParam("email", email).get("/contacts").then().extract().path("items[0].id")))
                .extract().path("id");

        given().auth().oauth2(MARKETING).contentType(ContentType.JSON)
                .body("{\"email\": \"" + email.toUpperCase() + "\"}")
                .post("/contacts")
                .then().statusCode(409)
                .contentType("application/problem+json")
                .body("existingId", equalTo(id));
    }

    @Test
    void aCreationRetriedWithItsIdempotencyKeyGetsTheFirstAnswer() {
        String email = uniqueEmail();
        String key = UUID.randomUUID().toString();
        var first = given().auth().oauth2(MARKETING).contentType(ContentType.JSON).header("Idempotency-Key", key)
                .body("{\"email\": \"" + email + "\"}").post("/contacts");
        assertEquals(201, first.statusCode());
        var retry = given().auth().oauth2(MARKETING).contentType(ContentType.JSON).header("Idempotency-Key", key)
                .body("{\"email\": \"" + email + "\"}").post("/contacts");
        assertEquals(201, retry.statusCode());
        assertEquals("true", retry.header("Idempotent-Replayed"));
        assertEquals(first.jsonPath().getString("id"), retry.jsonPath().getString("id"));
        assertEquals(first.header("Location"), retry.header("Location"));
        // without the key the same request is a second creation, refused
        given().auth().oauth2(MARKETING).contentType(ContentType.JSON).body("{\"email\": \"" + email + "\"}")
                .post("/contacts").then().statusCode(409);
    }

    @Test
    void badInputIsAProblemNotAServerError() {
        given().auth().oauth2(MARKETING).contentType(ContentType.JSON).body("{\"email\": ")
                .post("/contacts/match")
                .then().statusCode(400).contentType("application/problem+json").body("status", equalTo(400));

        given().auth().oauth2(MARKETING).contentType(ContentType.JSON).body("{\"email\": \"not-an-email\"}")
                .post("/contacts/match")
                .then().statusCode(422).contentType("application/problem+json")
                .body("errors.field", hasItem("email"));

        given().auth().oauth2(MARKETING).contentType(ContentType.JSON)
                .body("{\"email\": \"a@b.io\", \"country\": \"Atlantis\"}")
                .post("/contacts/match")
                .then().statusCode(422).body("errors.field", hasItem("country"));

        given().auth().oauth2(MARKETING).contentType(ContentType.JSON)
                .body("{\"email\": \"a@b.io\", \"firstName\": \"An\\u0000a\"}")
                .post("/contacts/match")
                .then().statusCode(400).contentType("application/problem+json")
                .body("errors.field", hasItem("firstName"));

        given().auth().oauth2(MARKETING).contentType(ContentType.JSON).body("{\"email\": [1]}")
                .post("/contacts/match")
                .then().statusCode(400).body("errors.field", hasItem("email"));

        given().auth().oauth2(MARKETING).get("/contacts/" + UUID.randomUUID())
                .then().statusCode(404).contentType("application/problem+json").body("title", notNullValue());

        given().auth().oauth2(MARKETING).get("/contacts/not-a-uuid")
                .then().statusCode(404);
    }

    @Test
    void tokensAndRolesAreChecked() {
        String body = "{\"email\": \"" + uniqueEmail() + "\"}";
        given().contentType(ContentType.JSON).body(body).post("/contacts/match")
                .then().statusCode(401).contentType("application/problem+json");
        given().auth().oauth2(TestTokens.forRoles("sales")).contentType(ContentType.JSON).body(body)
                .post("/contacts/match")
                .then().statusCode(403).contentType("application/problem+json");
        given().auth().oauth2(TestTokens.mint("x", TestTokens.ISSUER, -60, TestTokens.privateKey(), "admin"))
                .contentType(ContentType.JSON).body(body).post("/contacts/match")
                .then().statusCode(401);
        given().auth().oauth2(TestTokens.mint("x", "urn:someone:else", 600, TestTokens.privateKey(), "admin"))
                .contentType(ContentType.JSON).body(body).post("/contacts/match")
                .then().statusCode(401);
    }
}
