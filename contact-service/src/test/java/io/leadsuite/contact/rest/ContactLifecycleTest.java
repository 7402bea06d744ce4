package io.leadsuite.contact.rest;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;

import jakarta.inject.Inject;

import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

import io.agroal.api.AgroalDataSource;
import io.leadsuite.kit.testing.EventProbe;
import io.leadsuite.kit.testing.TestTokens;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import io.vertx.core.json.JsonObject;

@QuarkusTest
class ContactLifecycleTest {

    private static final String MARKETING = TestTokens.forRoles("marketing");

    @Inject
    EventProbe events;
    @Inject
    AgroalDataSource db;

    private static String uniqueEmail(String name) {
        return name + "." + UUID.randomUUID() + "@example.com";
    }

    private static String create(String json) {
        return given().auth().oauth2(MARKETING).contentType(ContentType.JSON).body(json).post("/contacts")
                .then().statusCode(201).extract().path("id");
    }

    private static Response patch(String id, String ifMatch, String json) {
        var request = given().auth().oauth2(MARKETING).contentType("application/merge-patch+json").body(json);
        if (ifMatch != null) {
            request.header("If-Match", ifMatch);
        }
        return request.patch("/contacts/" + id);
    }

    @Test
    void patchIsAMergePatchGuardedByIfMatch() {
        String email = uniqueEmail("bea");
        String id = create("{\"email\": \"" + email + "\", \"firstName\": \"Bea\", \"jobTitle\": \"Analyst\", "
                + "\"phone\": \"+351912345678\", \"country\": \"PT\"}");
        String etag = given().auth().oauth2(MARKETING).get("/contacts/" + id).then().statusCode(200)
                .extract().header("ETag");

        Response updated = patch(id, etag, "{\"jobTitle\": \"IT Director\", \"phone\": null, \"country\": \"DEU\"}");
        assertEquals(200, updated.statusCode(), updated.asString());
        assertEquals("IT Director", updated.jsonPath().getString("jobTitle"));
        assertEquals(null, updated.jsonPath().getString("phone"));
        assertEquals("DE", updated.jsonPath().getString("country"));
        assertEquals("Bea", updated.jsonPath().getString("firstName"));
        String newTag = updated.header("ETag");
        assertFalse(etag.equals(newTag), "the version moved on");
        assertEquals("\"" + updated.jsonPath().getLong("version") + "\"", newTag);

        // the old tag is stale now
        patch(id, etag, "{\"jobTitle\": \"CEO\"}").then().statusCode(412)
                .contentType("application/problem+json");
        // without If-Match the update applies to the current version
        patch(id, null, "{\"company\": \"Acme\"}").then().statusCode(200).body("company", equalTo("Acme"))
                .body("jobTitle", equalTo("IT Director"));
        // plain application/json is accepted too
        given().auth().oauth2(MARKETING).contentType(ContentType.JSON).body("{\"industry\": \"Energy\"}")
                .patch("/contacts/" + id).then().statusCode(200).body("industry", equalTo("Energy"));

        JsonObject event = events.await("contact.updated",
                d -> id.equals(d.getString("contactId")) && d.getJsonArray("changed").contains("country"));
        JsonObject data = event.getJsonObject("data");
        assertEquals(List.of("phone", "jobTitle", "country"), data.getJsonArray("changed").getList());
        assertEquals("DE", data.getString("country"));
        assertEquals(email, data.getString("email"));
        assertEquals("Bea", data.getString("firstName"));
        assertEquals(null, data.getString("phone"));

        // validation: 422 naming each field; unknown and read-only fields refused; nothing changed
        patch(id, null, "{\"phone\": \"12\", \"country\": \"Atlantis\", \"email\": null, \"version\": 9, "
                + "\"nickname\": \"B\", \"firstName\": 5}")
                .then().statusCode(422).contentType("application/problem+json")
                .body("errors.field", hasItem("phone")).body("errors.field", hasItem("country"))
                .body("errors.field", hasItem("email")).body("errors.field", hasItem("version"))
                .body("errors.field", hasItem("nickname")).body("errors.field", hasItem("firstName"));
        patch(id, null, "[1, 2]").then().statusCode(400).contentType("application/problem+json");
        patch(id, null, "{\"firstName\": ").then().statusCode(400).contentType("application/problem+json");
        patch(UUID.randomUUID().toString(), null, "{\"firstName\": \"X\"}").then().statusCode(404);

        // a patch that changes nothing keeps the version
        long version = given().auth().oauth2(MARKETING).get("/contacts/" + id).then().extract().jsonPath()
                .getLong("version");
        patch(id, "\"" + version + "\"", "{\"company\": \"Acme\"}").then().statusCode(200)
                .body("version", equalTo((int) version));

        // the e-mail is normalised and must stay unique
        String other = create("{\"email\": \"" + uniqueEmail("other") + "\"}");
        patch(other, null, "{\"email\": \"  " + email.toUpperCase() + "\"}").then().statusCode(409)
                .body("existingId", equalTo(id));
    }

    @Test
    void concurrentPatchesNeverFailWithAServerError() throws Exception {
        String id = create("{\"email\": \"" + uniqueEmail("race") + "\"}");
        java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(8);
        try {
            List<java.util.concurrent.Callable<Integer>> calls = new ArrayList<>();
            for (int i = 0; i < 16; i++) {
                String title = "Title " + i;
                calls.add(() -> patch(id, null, "{\"jobTitle\": \"" + title + "\"}").statusCode());
            }
            List<Integer> statuses = new ArrayList<>();
            for (var f : pool.invokeAll(calls)) {
                statuses.add(f.get());
            }
            assertTrue(statuses.stream().allMatch(s -> s == 200 || s == 409), statuses.toString());
            assertTrue(statuses.contains(200), statuses.toString());
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void searchPagesStayCorrectWhileContactsAreAdded() {
        String company = "Paging " + UUID.randomUUID();
        Set<String> expected = new HashSet<>();
        for (int i = 0; i < 7; i++) {
            expected.add(create("{\"email\": \"" + uniqueEmail("p" + i) + "\", \"company\": \"" + company + "\"}"));
        }
        List<String> seen = new ArrayList<>();
        String after = null;
        int pages = 0;
        do {
            var request = given().auth().oauth2(MARKETING).queryParam("company", company.toUpperCase())
                    .queryParam("limit", 3);
            if (after != null) {
                request.queryParam("after", after);
            }
            var page = request.get("/contacts").then().statusCode(200).extract().jsonPath();
            seen.addAll(page.getList("items.id"));
            after = page.getString("next");
            if (pages++ < 2) {
                // contacts added while paging show up on a later page
                expected.add(create("{\"email\": \"" + uniqueEmail("late" + pages) + "\", \"company\": \""
                        + company + "\"}"));
            }
        } while (after != null);
        assertEquals(seen.size(), new HashSet<>(seen).size(), "no contact twice");
        assertEquals(expected, new HashSet<>(seen), "every contact once");

        String unique = "Zed" + UUID.randomUUID().toString().substring(0, 8);
        String found = create("{\"email\": \"" + uniqueEmail("z") + "\", \"lastName\": \"" + unique + "\"}");
        given().auth().oauth2(MARKETING).queryParam("q", unique.toLowerCase()).get("/contacts").then()
                .statusCode(200).body("items", hasSize(1)).body("items[0].id", equalTo(found))
                .body("next", nullValue());
        given().auth().oauth2(MARKETING).queryParam("q", "%").queryParam("company", company).get("/contacts").then()
                .statusCode(200).body("items", hasSize(0));
        given().auth().oauth2(MARKETING).queryParam("after", "garbage").get("/contacts").then().statusCode(422)
                .body("errors.field", hasItem("after"));
        given().auth().oauth2(MARKETING).queryParam("limit", 0).get("/contacts").then().statusCode(422);
    }

    @Test
    void consentIsRecordedAndItsWithdrawalTravelsInEvents() {
        String id = create("{\"email\": \"" + uniqueEmail("cy") + "\", \"consent\": true, "
                + "\"consentSource\": \"form-42\"}");
        given().auth().oauth2(MARKETING).get("/contacts/" + id).then().statusCode(200)
                .body("consent.marketing", equalTo(true)).body("consent.source", equalTo("form-42"));
        patch(id, null, "{\"consent\": {\"marketing\": false, \"source\": \"unsubscribe-link\"}}").then()
                .statusCode(200).body("consent.marketing", equalTo(false))
                .body("consent.source", equalTo("unsubscribe-link"));
        JsonObject event = events.await("contact.updated", d -> id.equals(d.getString("contactId")));
        assertEquals(false, event.getJsonObject("data").getBoolean("marketingConsent"));
        assertEquals(List.of("consent"), event.getJsonObject("data").getJsonArray("changed").getList());
        patch(id, null, "{\"consent\": {\"marketing\": true, \"source\": \"preference-centre\", "
                + "\"at\": \"2026-01-02T03:04:05Z\"}}").then().statusCode(200)
                .body("consent.at", equalTo("2026-01-02T03:04:05Z"));
        given().auth().oauth2(MARKETING).get("/contacts/" + id + "/consent-history").then().statusCode(200)
                .body("marketing", equalTo(List.of(true, false, true)))
                .body("source", hasItem("unsubscribe-link")).body("source", hasItem("form-42"));
        patch(id, null, "{\"consent\": {\"marketing\": \"no\"}}").then().statusCode(422)
                .body("errors.field", hasItem("consent.marketing"));
    }

    @Test
    void mergeMovesTheDuplicateIntoTheSurvivor() {
        String survivorEmail = uniqueEmail("sur");
        String duplicateEmail = uniqueEmail("dup");
        String survivor = create("{\"email\": \"" + survivorEmail + "\", \"firstName\": \"Ana\", \"consent\": true, "
                + "\"consentSource\": \"form-1\"}");
        String duplicate = create("{\"email\": \"" + duplicateEmail + "\", \"firstName\": \"Anna\", "
                + "\"lastName\": \"Silva\", \"company\": \"Acme\", \"consent\": true, \"consentSource\": \"form-2\"}");
        patch(duplicate, null, "{\"consent\": {\"marketing\": false, \"source\": \"unsubscribe\"}}").then()
                .statusCode(200);

        given().auth().oauth2(MARKETING).contentType(ContentType.JSON)
                .body("{\"duplicateId\": \"" + duplicate + "\"}").post("/contacts/" + survivor + "/merge")
                .then().statusCode(200)
                .body("id", equalTo(survivor)).body("email", equalTo(survivorEmail))
                .body("firstName", equalTo("Ana")).body("lastName", equalTo("Silva"))
                .body("company", equalTo("Acme")).body("consent.marketing", equalTo(false));

        // the duplicate points at the survivor
        given().auth().oauth2(MARKETING).get("/contacts/" + duplicate).then().statusCode(200)
                .body("status", equalTo("MERGED")).body("mergedInto", equalTo(survivor))
                .body("email", nullValue()).body("firstName", nullValue())
                .header("Link", org.hamcrest.Matchers.containsString("/contacts/" + survivor));
        // a capture with the duplicate's e-mail finds the survivor
        given().auth().oauth2(MARKETING).contentType(ContentType.JSON).body("{\"email\": \"" + duplicateEmail + "\"}")
                .post("/contacts/match").then().statusCode(200).body("contact.id", equalTo(survivor));
        // consent history moved over
        given().auth().oauth2(MARKETING).get("/contacts/" + survivor + "/consent-history").then().statusCode(200)
                .body("source", hasItem("unsubscribe")).body("source", hasItem("form-1"));

        JsonObject merged = events.await("contact.merged", d -> survivor.equals(d.getString("survivorId")));
        assertEquals(duplicate, merged.getJsonObject("data").getString("duplicateId"));
        assertEquals(survivor, merged.getString("subject"));
        JsonObject updated = events.await("contact.updated", d -> survivor.equals(d.getString("contactId")));
        assertTrue(updated.getJsonObject("data").getJsonArray("changed").contains("consent"));
        assertEquals(false, updated.getJsonObject("data").getBoolean("marketingConsent"));

        // idempotent: again, same answer, no second event
        given().auth().oauth2(MARKETING).contentType(ContentType.JSON)
                .body("{\"duplicateId\": \"" + duplicate + "\"}").post("/contacts/" + survivor + "/merge")
                .then().statusCode(200).body("id", equalTo(survivor));
        Awaitility.await().during(Duration.ofMillis(500)).atMost(Duration.ofSeconds(2)).until(() -> events
                .all("contact.merged", d -> survivor.equals(d.getString("survivorId"))).size() == 1);

        // refusals
        given().auth().oauth2(MARKETING).contentType(ContentType.JSON)
                .body("{\"duplicateId\": \"" + survivor + "\"}").post("/contacts/" + survivor + "/merge")
                .then().statusCode(422).body("errors.field", hasItem("duplicateId"));
        given().auth().oauth2(MARKETING).contentType(ContentType.JSON)
                .body("{\"duplicateId\": \"" + survivor + "\"}").post("/contacts/" + duplicate + "/merge")
                .then().statusCode(409).body("mergedInto", equalTo(survivor));
        given().auth().oauth2(MARKETING).contentType(ContentType.JSON).body("{}")
                .post("/contacts/" + survivor + "/merge").then().statusCode(422);
        patch(duplicate, null, "{\"firstName\": \"X\"}").then().statusCode(409);
    }

    @Test
    void erasureLeavesNoPersonalDataInAnyTable() throws Exception {
        String token = UUID.randomUUID().toString().substring(0, 8);
        String email = "erase." + token + "@example.com";
        String dupEmail = "erase.dup." + token + "@example.com";
        String firstName = "Eraseme" + token;
        String lastName = "Forgetme" + token;
        String key = UUID.randomUUID().toString();
        String id = given().auth().oauth2(MARKETING).contentType(ContentType.JSON).header("Idempotency-Key", key)
                .body("{\"email\": \"" + email + "\", \"firstName\": \"" + firstName + "\", \"lastName\": \""
                        + lastName + "\", \"phone\": \"+351912345678\", \"consent\": true, \"consentSource\": \"f\"}")
                .post("/contacts").then().statusCode(201).extract().path("id");
        String dup = create("{\"email\": \"" + dupEmail + "\", \"lastName\": \"" + lastName + "\"}");
        given().auth().oauth2(MARKETING).contentType(ContentType.JSON).body("{\"duplicateId\": \"" + dup + "\"}")
                .post("/contacts/" + id + "/merge").then().statusCode(200);
        patch(id, null, "{\"consent\": {\"marketing\": false}}").then().statusCode(200);
        assertTrue(tablesHolding(List.of(email, dupEmail, firstName, lastName)).size() > 0, "seen before erasure");

        given().auth().oauth2(MARKETING).delete("/contacts/" + id).then().statusCode(204);
        given().auth().oauth2(MARKETING).delete("/contacts/" + id).then().statusCode(204);
        given().auth().oauth2(MARKETING).get("/contacts/" + id).then().statusCode(410)
                .contentType("application/problem+json").body("erasedAt", org.hamcrest.Matchers.notNullValue());
        given().auth().oauth2(MARKETING).get("/contacts/" + dup).then().statusCode(410);
        given().auth().oauth2(MARKETING).delete("/contacts/" + UUID.randomUUID()).then().statusCode(404);

        JsonObject erased = events.await("contact.erased", d -> id.equals(d.getString("contactId")));
        assertEquals(id, erased.getString("subject"));
        events.await("contact.erased", d -> dup.equals(d.getString("contactId")));
        assertEquals(1, events.all("contact.erased", d -> id.equals(d.getString("contactId"))).size());

        // every text column of every table of this service (the outbox drains once the relay has sent)
        Awaitility.await().atMost(Duration.ofSeconds(10))
                .until(() -> tablesHolding(List.of(email, dupEmail, firstName, lastName)).isEmpty());
        // the same e-mail can make a new, unrelated contact
        given().auth().oauth2(MARKETING).contentType(ContentType.JSON).body("{\"email\": \"" + email + "\"}")
                .post("/contacts/match").then().statusCode(201);
    }

    /** "table.column" of every text-like column, in any table of the service's schema, that contains a value. */
    private List<String> tablesHolding(List<String> values) throws Exception {
        List<String> hits = new ArrayList<>();
        try (Connection c = db.getConnection()) {
            List<String[]> columns = new ArrayList<>();
            try (PreparedStatement s = c.prepareStatement("select table_name, column_name from "
                    + "information_schema.columns where table_schema = current_schema() and data_type in "
                    + "('text', 'character varying', 'character', 'jsonb', 'json', 'bytea')");
                    ResultSet rs = s.executeQuery()) {
                while (rs.next()) {
                    columns.add(new String[] { rs.getString(1), rs.getString(2) });
                }
            }
            assertTrue(columns.size() > 10, "found the columns: " + columns.size());
            for (String[] col : columns) {
                for (String value : values) {
                    try (PreparedStatement s = c.prepareStatement("select count(*) from \"" + col[0] + "\" where "
                            + "position(lower(?) in lower(cast(\"" + col[1] + "\" as text))) > 0")) {
                        s.setString(1, value);
                        try (ResultSet rs = s.executeQuery()) {
                            rs.next();
                            if (rs.getLong(1) > 0) {
                                hits.add(col[0] + "." + col[1]);
                            }
                        }
                    }
                }
            }
        }
        return hits;
    }
}
