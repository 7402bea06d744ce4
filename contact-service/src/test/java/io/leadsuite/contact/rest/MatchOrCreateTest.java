package io.leadsuite.contact.rest;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import io.agroal.api.AgroalDataSource;
import io.leadsuite.kit.testing.EventProbe;
import io.leadsuite.kit.testing.TestTokens;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import io.vertx.core.json.JsonObject;

/**
 * Match-or-create ({@code POST /contacts/match}, what a capture calls) as one statement: what it stores, what it
 * answers and what it publishes, also when captures of one new e-mail race.
 */
@QuarkusTest
class MatchOrCreateTest {

    private static final String MARKETING = TestTokens.forRoles("marketing");

    @Inject
    EventProbe events;
    @Inject
    AgroalDataSource db;

    private static String uniqueEmail(String name) {
        return name + "." + UUID.randomUUID() + "@example.com";
    }

    /** The event of the type about the contact; generous: the machine may be shared with other builds. */
    private JsonObject awaitEvent(String type, String contactId) {
        return await().atMost(Duration.ofSeconds(60)).until(
                () -> events.all(type, d -> contactId.equals(d.getString("contactId"))).stream().findFirst()
                        .orElse(null),
                e -> e != null);
    }

    private static Response match(String json) {
        return given().auth().oauth2(MARKETING).contentType(ContentType.JSON).body(json).post("/contacts/match");
    }

    /** One row per contact holding the e-mail: version, event sequence, outbox rows about it not yet relayed. */
    private List<long[]> stored(String email) throws Exception {
        try (Connection c = db.getConnection();
                PreparedStatement s = c.prepareStatement("select version, event_sequence from contact where email = ?")) {
            s.setString(1, email);
            List<long[]> rows = new ArrayList<>();
            try (ResultSet rs = s.executeQuery()) {
                while (rs.next()) {
                    rows.add(new long[] { rs.getLong(1), rs.getLong(2) });
                }
            }
            return rows;
        }
    }

    private long consentRows(String id) throws Exception {
        try (Connection c = db.getConnection();
                PreparedStatement s = c.prepareStatement("select count(*) from consent_change where contact_id = ?")) {
            s.setObject(1, UUID.fromString(id));
            try (ResultSet rs = s.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }

    @Test
    void aNewContactIsStoredAnsweredAndPublishedAsBefore() throws Exception {
        String email = uniqueEmail("new");
        Response created = match("{\"email\": \"" + email.toUpperCase() + "\", \"firstName\": \" Ana \", "
                + "\"lastName\": \"Silva\", \"phone\": \"+351 912 345 678\", \"company\": \"Acme\", "
                + "\"jobTitle\": \"IT Director\", \"industry\": \"Energy\", \"country\": \"Portugal\", "
                + "\"consent\": true, \"consentSource\": \"form-42\"}");
        created.then().statusCode(201)
                .body("created", equalTo(true))
                .body("contact.email", equalTo(email))
                .body("contact.firstName", equalTo("Ana"))
                .body("contact.phone", equalTo("+351912345678"))
                .body("contact.country", equalTo("PT"))
                .body("contact.consent.marketing", equalTo(true))
                .body("contact.consent.source", equalTo("form-42"))
                .body("contact.status", equalTo("ACTIVE"))
                .body("contact.version", equalTo(1));
        String id = created.path("contact.id");
        String createdAt = created.path("contact.createdAt");
        assertEquals(createdAt, created.path("contact.updatedAt"));
        assertEquals(createdAt, created.path("contact.consent.at"));

        // the answer is what a read gives
        given().auth().oauth2(MARKETING).get("/contacts/" + id).then().statusCode(200)
                .header("ETag", "\"1\"")
                .body("createdAt", equalTo(createdAt))
                .body("consent.at", equalTo(createdAt))
                .body("company", equalTo("Acme"));
        given().auth().oauth2(MARKETING).get("/contacts/" + id + "/consent-history").then().statusCode(200)
                .body("marketing", equalTo(List.of(true))).body("source", equalTo(List.of("form-42")));

        List<long[]> rows = stored(email);
        assertEquals(1, rows.size());
        assertEquals(1L, rows.get(0)[0], "version");
        assertEquals(1L, rows.get(0)[1], "event sequence: contact.created is event 1");

        JsonObject event = awaitEvent("contact.created", id);
        assertEquals(1L, event.getLong("sequence"));
        assertEquals(id, event.getString("subject"));
        JsonObject data = event.getJsonObject("data");
        assertEquals(email, data.getString("email"));
        assertEquals("Ana", data.getString("firstName"));
        assertEquals("PT", data.getString("country"));
        assertEquals(true, data.getBoolean("marketingConsent"));
    }

    @Test
    void anExistingContactIsNotChangedByACaptureAndNothingIsPublished() throws Exception {
        String email = uniqueEmail("known");
        String id = match("{\"email\": \"" + email + "\", \"firstName\": \"Ana\", \"company\": \"Acme\"}")
                .then().statusCode(201).extract().path("contact.id");
        awaitEvent("contact.created", id);

        // the same details, then other details with consent: matched, answered as stored, nothing written
        match("{\"email\": \"" + email + "\", \"firstName\": \"Ana\", \"company\": \"Acme\"}").then().statusCode(200)
                .body("created", equalTo(false)).body("contact.id", equalTo(id)).body("contact.version", equalTo(1));
        match("{\"email\": \" " + email.toUpperCase() + "\", \"firstName\": \"Anabela\", \"jobTitle\": \"CTO\", "
                + "\"consent\": true, \"consentSource\": \"form-7\"}").then().statusCode(200)
                .body("created", equalTo(false))
                .body("contact.id", equalTo(id))
                .body("contact.firstName", equalTo("Ana"))
                .body("contact.jobTitle", equalTo(null))
                .body("contact.consent.marketing", equalTo(false))
                .body("contact.version", equalTo(1));
        List<long[]> rows = stored(email);
        assertEquals(1, rows.size());
        assertEquals(1L, rows.get(0)[0], "version unchanged");
        assertEquals(1L, rows.get(0)[1], "no event sequence taken");
        assertEquals(0, consentRows(id), "no consent recorded for a matched contact");

        // the next event about the contact is number 2: the matches took no sequence, published nothing
        given().auth().oauth2(MARKETING).contentType("application/merge-patch+json")
                .body("{\"jobTitle\": \"CTO\"}").patch("/contacts/" + id).then().statusCode(200)
                .body("version", equalTo(2));
        JsonObject updated = awaitEvent("contact.updated", id);
        assertEquals(2L, updated.getLong("sequence"));
        // published in order for one subject: had a match published anything, it would have arrived before this
        List<Long> sequences = new ArrayList<>();
        for (String type : List.of("contact.created", "contact.updated", "contact.merged", "contact.erased")) {
            events.all(type, d -> id.equals(d.getString("contactId"))).forEach(e -> sequences.add(e.getLong("sequence")));
        }
        sequences.sort(null);
        assertEquals(List.of(1L, 2L), sequences);

        // and a match after the update answers the updated contact
        match("{\"email\": \"" + email + "\"}").then().statusCode(200).body("contact.jobTitle", equalTo("CTO"))
                .body("contact.version", equalTo(2));
    }

    @Test
    void racingCapturesOfOneNewEmailMakeOneContactOneEventAndAllAreAnswered() throws Exception {
        int rounds = 6;
        int racers = 12;
        ExecutorService pool = Executors.newFixedThreadPool(racers);
        try {
            for (int round = 0; round < rounds; round++) {
                String email = uniqueEmail("race");
                CountDownLatch start = new CountDownLatch(1);
                List<Callable<Response>> calls = new ArrayList<>();
                for (int i = 0; i < racers; i++) {
                    String given = i % 2 == 0 ? email : " " + email.toUpperCase();
                    calls.add(() -> {
                        start.await(30, TimeUnit.SECONDS);
                        return match("{\"email\": \"" + given + "\", \"firstName\": \"Racer\", \"consent\": true}");
                    });
                }
                List<Future<Response>> futures = new ArrayList<>();
                for (Callable<Response> call : calls) {
                    futures.add(pool.submit(call));
                }
                start.countDown();
                Set<String> ids = new HashSet<>();
                int createdAnswers = 0;
                for (Future<Response> f : futures) {
                    Response r = f.get(120, TimeUnit.SECONDS);
                    int status = r.statusCode();
                    assertEquals(true, status == 200 || status == 201, "answered 200 or 201, not " + status);
                    assertEquals(status == 201, (boolean) r.path("created"));
                    ids.add(r.path("contact.id"));
                    createdAnswers += status == 201 ? 1 : 0;
                }
                assertEquals(1, ids.size(), "one contact for one e-mail");
                assertEquals(1, createdAnswers, "exactly one call created it");
                String id = ids.iterator().next();
                List<long[]> rows = stored(email);
                assertEquals(1, rows.size());
                assertEquals(1L, rows.get(0)[1], "one event sequence taken");
                assertEquals(1, consentRows(id), "consent recorded once");
                // the outbox row is written only by the creating call (in its transaction): one contact.created
                awaitEvent("contact.created", id);
                given().auth().oauth2(MARKETING).contentType("application/merge-patch+json")
                        .body("{\"company\": \"After the race\"}").patch("/contacts/" + id).then().statusCode(200);
                awaitEvent("contact.updated", id);
                assertEquals(1, events.all("contact.created", d -> id.equals(d.getString("contactId"))).size(),
                        "one contact.created");
            }
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void theEmailOfAMergedDuplicateMatchesTheSurvivorAndCreateAnswers409WithIt() {
        String survivorEmail = uniqueEmail("survivor");
        String duplicateEmail = uniqueEmail("duplicate");
        String survivor = match("{\"email\": \"" + survivorEmail + "\", \"firstName\": \"Ana\"}").then()
                .statusCode(201).extract().path("contact.id");
        String duplicate = match("{\"email\": \"" + duplicateEmail + "\", \"company\": \"Acme\"}").then()
                .statusCode(201).extract().path("contact.id");
        given().auth().oauth2(MARKETING).contentType(ContentType.JSON)
                .body("{\"duplicateId\": \"" + duplicate + "\"}").post("/contacts/" + survivor + "/merge")
                .then().statusCode(200);

        match("{\"email\": \"" + duplicateEmail.toUpperCase() + "\", \"firstName\": \"Other\"}").then()
                .statusCode(200)
                .body("created", equalTo(false))
                .body("contact.id", equalTo(survivor))
                .body("contact.email", equalTo(survivorEmail))
                .body("contact.company", equalTo("Acme"))
                .body("contact.status", equalTo("ACTIVE"));
        given().auth().oauth2(MARKETING).contentType(ContentType.JSON)
                .body("{\"email\": \"" + duplicateEmail + "\"}").post("/contacts")
                .then().statusCode(409).body("existingId", equalTo(survivor));
    }

    @Test
    void anErasedContactsEmailMakesANewContact() {
        String email = uniqueEmail("erased");
        String first = match("{\"email\": \"" + email + "\", \"firstName\": \"Ana\"}").then().statusCode(201)
                .extract().path("contact.id");
        given().auth().oauth2(MARKETING).delete("/contacts/" + first).then().statusCode(204);
        String second = match("{\"email\": \"" + email + "\"}").then().statusCode(201)
                .body("created", equalTo(true)).body("contact.firstName", equalTo(null))
                .extract().path("contact.id");
        assertEquals(false, first.equals(second));
        given().auth().oauth2(MARKETING).get("/contacts/" + first).then().statusCode(410);
        JsonObject event = awaitEvent("contact.created", second);
        assertEquals(1L, event.getLong("sequence"));
    }
}
