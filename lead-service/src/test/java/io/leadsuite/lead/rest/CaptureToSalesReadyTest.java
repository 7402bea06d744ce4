package io.leadsuite.lead.rest;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import jakarta.inject.Inject;

import org.eclipse.microprofile.reactive.messaging.Channel;
import org.junit.jupiter.api.Test;

import io.leadsuite.contracts.Envelope;
import io.leadsuite.contracts.EventTypes;
import io.leadsuite.contracts.ScoreChanged;
import io.leadsuite.kit.testing.EventProbe;
import io.leadsuite.kit.testing.TestTokens;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import io.smallrye.reactive.messaging.MutinyEmitter;
import io.vertx.core.json.JsonObject;

@QuarkusTest
@QuarkusTestResource(FakeContactService.class)
class CaptureToSalesReadyTest {

    private static final String MARKETING = TestTokens.forRoles("marketing");
    private static final String CRM = TestTokens.forRoles("crm");
    private static final UUID MODEL = UUID.fromString("00000000-0000-0000-0000-0000000000aa");

    @Inject
    EventProbe events;

    @Inject
    @Channel("test-score-updates")
    MutinyEmitter<JsonObject> scoreUpdates;

    private static JsonPath capture(String email, String topic, int expectedStatus) {
        return given().auth().oauth2(MARKETING).contentType(ContentType.JSON)
                .body("{\"email\": \"" + email + "\", \"firstName\": \"Ana\", \"topic\": \"" + topic
                        + "\", \"source\": \"MARKETING_FORM\", \"sourceRef\": \"form-42\"}")
                .post("/captures")
                .then().statusCode(expectedStatus).extract().jsonPath();
    }

    private static JsonPath lead(String id) {
        return given().auth().oauth2(MARKETING).get("/leads/" + id).then().statusCode(200).extract().jsonPath();
    }

    private Envelope<ScoreChanged> scoreChanged(String leadId, String contactId, long sequence, int score) {
        boolean ready = score >= 50;
        ScoreChanged data = new ScoreChanged(UUID.fromString(leadId), UUID.fromString(contactId),
                List.of(new ScoreChanged.ModelScore(MODEL, 1, "Default engagement", score, ready ? "B" : "D", 50,
                        ready)),
                ready, null);
        return Envelope.of(EventTypes.SCORE_CHANGED, "scoring-service", Instant.now(), UUID.fromString(leadId),
                sequence, data);
    }

    private void send(Envelope<ScoreChanged> envelope) {
        scoreUpdates.sendAndAwait(JsonObject.mapFrom(envelope));
    }

    @Test
    void aCaptureBecomesASalesReadyLeadOnceScoresCrossTheThreshold() {
        String email = "ana." + UUID.randomUUID() + "@example.com";
        JsonPath first = capture(email, "solar-panels", 201);
        assertEquals(true, first.getBoolean("contactCreated"));
        assertEquals(true, first.getBoolean("leadCreated"));
        String leadId = first.getString("leadId");
        String contactId = first.getString("contactId");

        JsonPath created = lead(leadId);
        assertEquals("INQUIRY", created.getString("stage"));
        assertEquals("OPEN", created.getString("status"));
        assertEquals("marketing-lead", created.getString("flow"));
        JsonObject leadCreated = events.await("lead.created", d -> leadId.equals(d.getString("leadId")));
        assertNotNull(leadCreated.getJsonObject("data").getJsonObject("capture").getString("captureId"));

        // the same person and topic again: the open lead is touched, not duplicated
        JsonPath second = capture(email.toUpperCase(), "Solar-Panels", 200);
        assertEquals(leadId, second.getString("leadId"));
        assertEquals(false, second.getBoolean("leadCreated"));
        events.await("lead.captured", d -> leadId.equals(d.getString("leadId")));
        // another topic: another lead of the same contact
        JsonPath other = capture(email, "heat-pumps", 201);
        assertEquals(contactId, other.getString("contactId"));
        assertEquals(true, other.getBoolean("leadCreated"));

        send(scoreChanged(leadId, contactId, 1, 10));
        await().atMost(Duration.ofSeconds(10))
                .until(() -> "AUTOMATED_MARKETING_QUALIFICATION".equals(lead(leadId).getString("stage")));

        Envelope<ScoreChanged> crossing = scoreChanged(leadId, contactId, 3, 60);
        send(crossing);
        await().atMost(Duration.ofSeconds(10)).until(() -> lead(leadId).getBoolean("salesReady"));
        JsonPath ready = lead(leadId);
        assertEquals("TELEPROSPECTING_ACCEPTANCE", ready.getString("stage"));
        assertEquals("SCORE", ready.getString("salesReadyBy"));
        assertEquals(60, ready.getInt("scores[0].score"));
        events.await("lead.sales-ready", d -> leadId.equals(d.getString("leadId")));
        JsonObject moved = events.await("lead.stage-changed",
                d -> leadId.equals(d.getString("leadId")) && "TELEPROSPECTING_ACCEPTANCE".equals(d.getString("to")));
        assertEquals("SCORE", moved.getJsonObject("data").getString("cause"));

        // a stale update (lower sequence) and a redelivery of an applied message change nothing; a later update for
        // another lead on the same queue tells us both were consumed
        send(scoreChanged(leadId, contactId, 2, 5));
        send(new Envelope<>(crossing.id(), crossing.type(), 1, crossing.source(), crossing.time(), crossing.subject(),
                99, crossing.data()));
        String sentinel = other.getString("leadId");
        send(scoreChanged(sentinel, contactId, 1, 10));
        await().atMost(Duration.ofSeconds(10))
                .until(() -> "AUTOMATED_MARKETING_QUALIFICATION".equals(lead(sentinel).getString("stage")));
        assertEquals(60, lead(leadId).getInt("scores[0].score"));

        List<String> kinds = given().auth().oauth2(MARKETING).get("/leads/" + leadId + "/history")
                .then().statusCode(200).extract().jsonPath().getList("items.kind");
        assertEquals(List.of("CREATED", "CAPTURED", "STAGE_CHANGED", "SALES_READY", "STAGE_CHANGED"), kinds);
        given().auth().oauth2(MARKETING).get("/leads/" + leadId + "/history?limit=2")
                .then().statusCode(200).body("items.size()", equalTo(2)).body("next", equalTo(
                        given().auth().oauth2(MARKETING).get("/leads/" + leadId + "/history?limit=2").then()
                                .extract().path("items[1].id").toString()));

        // the CRM sees it, with its contact's details
        Map<String, Object> item = salesReadyFeed().stream()
                .filter(i -> leadId.equals(((Map<?, ?>) i.get("lead")).get("id"))).findFirst().orElseThrow();
        assertEquals(email, ((Map<?, ?>) item.get("contact")).get("email"));
    }

    /**
     * Every item of the CRM's sales-ready feed, page after page (a test database that earlier runs filled holds more
     * sales-ready leads than one page, oldest first).
     */
    private static List<Map<String, Object>> salesReadyFeed() {
        List<Map<String, Object>> items = new java.util.ArrayList<>();
        String after = null;
        do {
            JsonPath page = given().auth().oauth2(CRM).queryParam("limit", 200)
                    .queryParams(after == null ? Map.of() : Map.of("after", after))
                    .get("/crm/leads/sales-ready").then().statusCode(200).extract().jsonPath();
            items.addAll(page.getList("items"));
            after = page.getString("next");
        } while (after != null);
        return items;
    }

    /** Before, an erased contact (410 from contact-service) failed the whole page with a 4xx. */
    @Test
    void aSalesReadyLeadWhoseContactIsGoneStaysInTheFeedWithoutDetails() {
        List<String> leads = new java.util.ArrayList<>();
        for (String prefix : List.of("gone", "missing")) {
            JsonPath captured = capture(prefix + "." + UUID.randomUUID() + "@example.com", "solar-panels", 201);
            String leadId = captured.getString("leadId");
            send(scoreChanged(leadId, captured.getString("contactId"), 1, 80));
            await().atMost(Duration.ofSeconds(10)).until(() -> lead(leadId).getBoolean("salesReady"));
            leads.add(leadId);
        }
        List<Map<String, Object>> items = salesReadyFeed();
        for (String leadId : leads) {
            Map<String, Object> item = items.stream()
                    .filter(i -> leadId.equals(((Map<?, ?>) i.get("lead")).get("id"))).findFirst().orElseThrow();
            assertEquals(null, item.get("contact"));
        }
    }

    @Test
    void aCaptureRetriedWithItsIdempotencyKeyCountsOnce() throws Exception {
        String email = "retry." + UUID.randomUUID() + "@example.com";
        String body = "{\"email\": \"" + email + "\", \"topic\": \"boilers\", \"source\": \"EVENT\"}";
        String key = UUID.randomUUID().toString();
        var pool = java.util.concurrent.Executors.newFixedThreadPool(6);
        try {
            var calls = java.util.stream.IntStream
                    .range(0, 6).<java.util.concurrent.Callable<io.restassured.response.Response>> mapToObj(i -> () -> given()
                            .auth().oauth2(MARKETING).contentType(ContentType.JSON)
                            .header("Idempotency-Key", key).body(body).post("/captures"))
                    .toList();
            java.util.Set<String> answers = new java.util.HashSet<>();
            for (var f : pool.invokeAll(calls)) {
                assertEquals(201, f.get().statusCode(), f.get().asString());
                answers.add(f.get().jsonPath().getString("leadId") + "/" + f.get().jsonPath().getBoolean("leadCreated"));
            }
            assertEquals(1, answers.size(), "every retry gets the first answer: " + answers);
        } finally {
            pool.shutdownNow();
        }
        io.restassured.response.Response again = given().auth().oauth2(MARKETING).contentType(ContentType.JSON)
                .header("Idempotency-Key", key).body(body).post("/captures");
        assertEquals(201, again.statusCode());
        assertEquals("true", again.header("Idempotent-Replayed"));
        String leadId = again.jsonPath().getString("leadId");
        assertEquals(List.of("CREATED"), given().auth().oauth2(MARKETING).get("/leads/" + leadId + "/history")
                .then().statusCode(200).extract().jsonPath().getList("items.kind"));

        given().auth().oauth2(MARKETING).contentType(ContentType.JSON).header("Idempotency-Key", key)
                .body(body.replace("boilers", "solar")).post("/captures")
                .then().statusCode(422).contentType("application/problem+json")
                .body("errors.field", hasItem("Idempotency-Key"));
        // without a key, a second submission is a second submission: it touches the lead
        capture(email, "boilers", 200);
    }

    /**
     * Before, keys were global: another client sending the same key got the first client's answer (its contact and
     * lead ids), or was refused with 422 when its body differed.
     */
    @Test
    void anIdempotencyKeyBelongsToTheCallerThatSentIt() {
        String key = UUID.randomUUID().toString();
        String email = "owned." + UUID.randomUUID() + "@example.com";
        String body = "{\"email\": \"" + email + "\", \"topic\": \"boilers\", \"source\": \"EVENT\"}";
        String other = other("other-marketer");
        String third = other("third-marketer");
        given().auth().oauth2(MARKETING).contentType(ContentType.JSON).header("Idempotency-Key", key).body(body)
                .post("/captures").then().statusCode(201);

        // another body under that key from another caller is not refused because of the first caller's use
        given().auth().oauth2(other).contentType(ContentType.JSON).header("Idempotency-Key", key)
                .body(body.replace("boilers", "solar")).post("/captures").then().statusCode(201);
        // the same key and body from a third caller: its own capture (the lead exists: touched), not a replay
        io.restassured.response.Response same = given().auth().oauth2(third).contentType(ContentType.JSON)
                .header("Idempotency-Key", key).body(body).post("/captures");
        assertEquals(200, same.statusCode(), same.asString());
        assertEquals(null, same.header("Idempotent-Replayed"));
        // the first caller still gets its own answer again
        given().auth().oauth2(MARKETING).contentType(ContentType.JSON).header("Idempotency-Key", key).body(body)
                .post("/captures").then().statusCode(201).header("Idempotent-Replayed", "true");
    }

    private static String other(String subject) {
        return io.leadsuite.kit.testing.TestTokens.mint(subject, io.leadsuite.kit.testing.TestTokens.ISSUER, 3600,
                io.leadsuite.kit.testing.TestTokens.privateKey(), "marketing");
    }

    @Test
    void racingCapturesOfOnePersonAndTopicMakeOneLead() throws Exception {
        String email = "race." + UUID.randomUUID() + "@example.com";
        var pool = java.util.concurrent.Executors.newFixedThreadPool(8);
        try {
            var calls = java.util.stream.IntStream
                    .range(0, 16).<java.util.concurrent.Callable<String>> mapToObj(i -> () -> given().auth().oauth2(MARKETING)
                            .contentType(ContentType.JSON)
                            .body("{\"email\": \"" + email + "\", \"topic\": \"boilers\", \"source\": \"EVENT\"}")
                            .post("/captures").then().extract().path("leadId"))
                    .toList();
            java.util.Set<String> ids = new java.util.HashSet<>();
            for (var f : pool.invokeAll(calls)) {
                ids.add(f.get());
            }
            assertEquals(1, ids.size(), "one open lead per contact and topic: " + ids);
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void badCapturesAreProblemsNotServerErrors() {
        given().auth().oauth2(MARKETING).contentType(ContentType.JSON).body("{\"email\": \"a@b.io\"}")
                .post("/captures").then().statusCode(422).contentType("application/problem+json")
                .body("errors.field", hasItem("topic"));
        given().auth().oauth2(MARKETING).contentType(ContentType.JSON)
                .body("{\"email\": \"a@b.io\", \"topic\": \"x\", \"source\": \"CARRIER_PIGEON\"}")
                .post("/captures").then().statusCode(400).contentType("application/problem+json")
                .body("errors.field", hasItem("source"));
        given().auth().oauth2(MARKETING).contentType(ContentType.JSON).body("{\"email\": ")
                .post("/captures").then().statusCode(400).contentType("application/problem+json");
        given().auth().oauth2(MARKETING).contentType(ContentType.JSON)
                .body("{\"email\": \"a@b.io\", \"topic\": \"x\", \"source\": \"EVENT\", \"lastName\": \"\\u0000\"}")
                .post("/captures").then().statusCode(400).body("errors.field", hasItem("lastName"));
        given().auth().oauth2(MARKETING).contentType(ContentType.JSON)
                .body("{\"email\": \"invalid@x\", \"topic\": \"x\", \"source\": \"EVENT\"}")
                .post("/captures").then().statusCode(422).body("errors.field", hasItem("email"));
        given().auth().oauth2(MARKETING).contentType(ContentType.JSON)
                .body("{\"email\": \"unavailable@example.com\", \"topic\": \"x\", \"source\": \"EVENT\"}")
                .post("/captures").then().statusCode(503).contentType("application/problem+json");
        given().auth().oauth2(MARKETING).get("/leads/" + UUID.randomUUID()).then().statusCode(404)
                .contentType("application/problem+json");
        given().auth().oauth2(CRM).get("/crm/leads/sales-ready?after=garbage").then().statusCode(400);
    }

    /**
     * PostgreSQL text cannot hold a NUL character; one in a query parameter or the path reached the database and was
     * answered 500 (found by sending {@code %00} to every operation). Now a 400 naming the parameter.
     */
    @Test
    void aNulCharacterInTheUrlIsABadRequestNotAServerError() {
        given().urlEncodingEnabled(false).auth().oauth2(MARKETING).get("/leads?campaign=%00&limit=5")
                .then().statusCode(400).contentType("application/problem+json")
                .body("errors.field", equalTo(List.of("campaign")));
        given().urlEncodingEnabled(false).auth().oauth2(MARKETING).get("/leads?stage=NEW&topic=a%00b&team=%00")
                .then().statusCode(400).body("errors.field", equalTo(List.of("topic", "team")));
        given().urlEncodingEnabled(false).auth().oauth2(MARKETING).get("/flows/%00")
                .then().statusCode(400).contentType("application/problem+json");
        // an encoded percent sign followed by 00 is text, not a NUL
        given().urlEncodingEnabled(false).auth().oauth2(MARKETING).get("/leads?topic=100%2500")
                .then().statusCode(200);
    }

    @Test
    void tokensAndRolesAreChecked() {
        String body = "{\"email\": \"a@b.io\", \"topic\": \"x\", \"source\": \"EVENT\"}";
        given().contentType(ContentType.JSON).body(body).post("/captures").then().statusCode(401)
                .contentType("application/problem+json");
        given().auth().oauth2(TestTokens.forRoles("sales")).contentType(ContentType.JSON).body(body)
                .post("/captures").then().statusCode(403).contentType("application/problem+json");
        given().auth().oauth2(MARKETING).get("/crm/leads/sales-ready").then().statusCode(403);
        given().get("/crm/leads/sales-ready").then().statusCode(401);
    }
}
