package io.leadsuite.scoring.rest;

import static io.leadsuite.scoring.rest.ScoringTestSupport.awaitJobDone;
import static io.leadsuite.scoring.rest.ScoringTestSupport.awaitScore;
import static io.leadsuite.scoring.rest.ScoringTestSupport.get;
import static io.leadsuite.scoring.rest.ScoringTestSupport.leadCreated;
import static io.leadsuite.scoring.rest.ScoringTestSupport.post;
import static io.leadsuite.scoring.rest.ScoringTestSupport.publishModel;
import static io.leadsuite.scoring.rest.ScoringTestSupport.score;
import static io.leadsuite.scoring.rest.ScoringTestSupport.status;
import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.hasItems;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import jakarta.inject.Inject;

import org.eclipse.microprofile.reactive.messaging.Channel;
import org.junit.jupiter.api.Test;

import io.leadsuite.contracts.ContactCreated;
import io.leadsuite.contracts.ContactErased;
import io.leadsuite.contracts.ContactMerged;
import io.leadsuite.contracts.ContactUpdated;
import io.leadsuite.contracts.Envelope;
import io.leadsuite.contracts.EventTypes;
import io.leadsuite.contracts.LeadStageChanged;
import io.leadsuite.contracts.LeadUpdated;
import io.leadsuite.kit.testing.EventProbe;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import io.smallrye.reactive.messaging.MutinyEmitter;
import io.vertx.core.json.JsonObject;

/**
 * Scoring models end to end against PostgreSQL and Artemis: validation, publish / edit / publish again / retire with
 * re-scoring jobs observed, decay that drops a lead below its threshold, DEMOGRAPHIC and LEAD rules fed by contact and
 * lead events, closed leads, inbound AMQP interactions, history, merge and erasure. Every model here is scoped to a
 * topic of its own, so it scores only this test's leads.
 */
@QuarkusTest
class ModelLifecycleTest {

    @Inject
    EventProbe events;

    @Inject
    @Channel("test-lead-events")
    MutinyEmitter<JsonObject> leadEvents;

    @Inject
    @Channel("test-contact-events")
    MutinyEmitter<JsonObject> contactEvents;

    @Inject
    @Channel("test-interactions")
    MutinyEmitter<JsonObject> interactions;

    @org.junit.jupiter.api.AfterEach
    void retireTheTestModels() {
        ScoringTestSupport.retirePublished();
    }

    private static String topic() {
        return "topic-" + UUID.randomUUID();
    }

    private void lead(UUID lead, UUID contact, String topic) {
        leadEvents.sendAndAwait(JsonObject.mapFrom(leadCreated(lead, contact, topic)));
    }

    private void awaitTracked(UUID lead) {
        await().atMost(ScoringTestSupport.PATIENCE).until(() -> status("/leads/" + lead + "/scores") == 200);
    }

    private List<JsonObject> changes(UUID lead) {
        return events.all(EventTypes.SCORE_CHANGED, d -> lead.toString().equals(d.getString("leadId")));
    }

    private static JsonObject modelScore(JsonObject envelope, String modelId) {
        return envelope.getJsonObject("data").getJsonArray("scores").stream().map(JsonObject.class::cast)
                .filter(s -> modelId.equals(s.getString("modelId"))).findFirst().orElse(null);
    }

    @Test
    void anInvalidModelIsRefusedNamingEachProblem() {
        JsonPath problem = given().auth().oauth2(ScoringTestSupport.MARKETING).contentType(ContentType.JSON).body("""
                {"name": " ", "salesReadyThreshold": -5,
                 "grades": [{"name": "Cold", "minScore": 0}, {"name": "Warm", "minScore": 0},
                            {"name": "Hot", "minScore": -10}],
                 "rules": [{"interactionType": "EMAIL_BOUNCED", "points": 5},
                           {"interactionType": "PAGE_VISITED", "attribute": "url", "operator": "LIKE", "value": "x",
                            "points": 1, "maxTimes": 0, "windowDays": 99999}]}""")
                .post("/scoring/models").then().statusCode(422).contentType("application/problem+json")
                .extract().jsonPath();
        assertEquals(List.of("name", "grades[1].minScore", "grades[2].minScore", "salesReadyThreshold",
                "rules[0].interactionType", "rules[1].operator", "rules[1].maxTimes", "rules[1].windowDays"),
                problem.getList("errors.field"));
        given().auth().oauth2(ScoringTestSupport.MARKETING).contentType(ContentType.JSON).body("[1]")
                .post("/scoring/models").then().statusCode(400);
        given().auth().oauth2(ScoringTestSupport.MARKETING).contentType(ContentType.JSON).body("{not json")
                .post("/scoring/models").then().statusCode(400);
        // a NUL character, which PostgreSQL text cannot hold: was a 503 "connection lost" (Jackson's exceptions are
        // IOExceptions), now the 400 naming the field that every other body with one gets
        given().auth().oauth2(ScoringTestSupport.MARKETING).contentType(ContentType.JSON)
                .body("{\"name\": \"nul\\u0000\", \"rules\": [{\"id\": \"x\\u0000\"}]}")
                .post("/scoring/models").then().statusCode(400).contentType("application/problem+json")
                .body("errors.field", hasItem("name"));
        given().auth().oauth2(ScoringTestSupport.MARKETING).contentType(ContentType.JSON)
                .body("{\"name\": \"ok\", \"rules\": [{\"id\": \"x\\u0000\"}]}")
                .put("/scoring/models/" + UUID.randomUUID()).then().statusCode(400)
                .body("errors.field", hasItem("rules")); // the reader names the top-level field of an untyped tree
        given().auth().oauth2(io.leadsuite.kit.testing.TestTokens.forRoles("sales")).contentType(ContentType.JSON)
                .body("{}").post("/scoring/models").then().statusCode(403);
    }

    @Test
    void publishingAndEditingAModelReScoresItsLeadsInTheBackground() {
        String topic = topic();
        List<UUID> leads = new ArrayList<>();
        for (int i = 0; i < 30; i++) {
            UUID lead = UUID.randomUUID();
            UUID contact = UUID.randomUUID();
            leads.add(lead);
            lead(lead, contact, topic);
        }
        leads.forEach(this::awaitTracked);
        StringBuilder batch = new StringBuilder("[");
        for (UUID lead : leads) {
            batch.append(batch.length() > 1 ? "," : "").append("{\"id\": \"webinar-").append(lead)
                    .append("\", \"type\": \"CUSTOM:webinar\", \"contactId\": \"").append(UUID.randomUUID())
                    .append("\", \"leadId\": \"").append(lead).append("\"}");
        }
        assertEquals(30, post("/interactions", batch.append("]").toString(), 202).getList("accepted").size());

        String body = """
                {"name": "Webinars", "scope": {"topics": ["%s"]}, "salesReadyThreshold": 20,
                 "grades": [{"name": "Cold", "minScore": 0}, {"name": "Hot", "minScore": 20}],
                 "rules": [{"id": "webinar", "interactionType": "CUSTOM:webinar", "points": 10}]}"""
                .formatted(topic);
        JsonPath created = post("/scoring/models", body, 201);
        String model = created.getString("id");
        ScoringTestSupport.PUBLISHED.add(model);
        assertEquals("DRAFT", created.getString("status"));
        assertNull(score(leads.get(0), model), "a draft scores nothing");

        JsonPath published = post("/scoring/models/" + model + "/publish", "", 202);
        assertEquals("PUBLISHED", published.getString("model.status"));
        String job = published.getString("job.id");
        JsonPath done = awaitJobDone(job);
        assertEquals(30, done.getInt("total"));
        assertEquals(30, done.getInt("done"));
        assertEquals(0, done.getInt("failed"));
        assertEquals(30, done.getInt("changed"));
        for (UUID lead : leads) {
            assertEquals(10, score(lead, model), "re-scored from the stored interaction");
        }
        JsonObject first = events.await(EventTypes.SCORE_CHANGED, d -> leads.get(0).toString()
                .equals(d.getString("leadId")) && d.getJsonArray("scores").encode().contains(model));
        assertEquals(1, modelScore(first, model).getInteger("modelVersion"));

        // an edit of a published model is a draft of version 2: the scores stay as version 1 made them
        JsonPath draft = given().auth().oauth2(ScoringTestSupport.MARKETING).contentType(ContentType.JSON)
                .body(body.replace("\"points\": 10", "\"points\": 25")).put("/scoring/models/" + model)
                .then().statusCode(200).extract().jsonPath();
        assertEquals(2, draft.getInt("version"));
        assertEquals("DRAFT", draft.getString("status"));
        JsonPath current = get("/scoring/models/" + model);
        assertEquals(1, current.getInt("version"));
        assertEquals(2, current.getInt("draftVersion"));
        assertEquals(10, current.getInt("rules[0].points"));
        assertEquals(10, score(leads.get(0), model));

        String job2 = post("/scoring/models/" + model + "/publish", "", 202).getString("job.id");
        List<Integer> progress = new ArrayList<>();
        await().atMost(ScoringTestSupport.PATIENCE).pollInterval(Duration.ofMillis(20)).until(() -> {
            JsonPath j = get("/scoring/jobs/" + job2);
            progress.add(j.getInt("done"));
            return "DONE".equals(j.getString("state"));
        });
        JsonPath done2 = get("/scoring/jobs/" + job2);
        assertEquals(30, done2.getInt("done"));
        assertEquals(30, done2.getInt("changed"));
        assertEquals(2, done2.getInt("modelVersion"));
        for (int i = 1; i < progress.size(); i++) {
            assertTrue(progress.get(i) >= progress.get(i - 1), "progress only grows: " + progress);
        }
        for (UUID lead : leads) {
            assertEquals(25, score(lead, model));
        }
        JsonObject second = events.await(EventTypes.SCORE_CHANGED, d -> leads.get(1).toString()
                .equals(d.getString("leadId")) && d.getJsonArray("scores").encode().contains("\"modelVersion\":2"));
        assertEquals(25, modelScore(second, model).getInteger("score"));
        assertEquals("Hot", modelScore(second, model).getString("grade"));
        assertTrue(second.getJsonObject("data").getBoolean("salesReady"));
        JsonPath versions = get("/scoring/models/" + model + "/versions");
        assertEquals(List.of("SUPERSEDED", "PUBLISHED"), versions.getList("items.status"));
        assertEquals(10, get("/scoring/models/" + model + "/versions/1").getInt("rules[0].points"),
                "a published version never changes");
        post("/scoring/models/" + model + "/publish", "", 409);

        // history: version 1 then version 2, both by re-scoring
        JsonPath history = get("/leads/" + leads.get(2) + "/scores/history");
        assertEquals(List.of(1, 2), history.getList("items.findAll { it.modelId == '" + model
                + "' }.modelVersion"));
        assertEquals(List.of("RESCORE", "RESCORE"), history.getList("items.findAll { it.modelId == '" + model
                + "' }.cause"));

        // retiring withdraws the scores
        String job3 = post("/scoring/models/" + model + "/retire", "", 202).getString("job.id");
        awaitJobDone(job3);
        assertNull(score(leads.get(0), model));
        assertEquals("RETIRED", get("/scoring/models/" + model).getString("status"));
        given().auth().oauth2(ScoringTestSupport.MARKETING).contentType(ContentType.JSON).body(body)
                .put("/scoring/models/" + model).then().statusCode(409);
    }

    @Test
    void expiredPointsDropTheLeadBelowItsThreshold() {
        String topic = topic();
        String model = publishModel("""
                {"name": "Demo requests", "scope": {"topics": ["%s"]}, "salesReadyThreshold": 50,
                 "grades": [{"name": "C", "minScore": 0}, {"name": "A", "minScore": 50}],
                 "rules": [{"id": "demo", "interactionType": "CUSTOM:demo-requested", "points": 60, "windowDays": 1},
                           {"id": "form", "interactionType": "FORM_SUBMITTED", "points": 5}]}""".formatted(topic));
        UUID lead = UUID.randomUUID();
        UUID contact = UUID.randomUUID();
        lead(lead, contact, topic);
        awaitTracked(lead);
        // the demo request happened almost a day ago: its points expire in 4 seconds
        Instant occurred = Instant.now().minus(Duration.ofDays(1)).plusSeconds(4)
                .truncatedTo(java.time.temporal.ChronoUnit.MILLIS);
        post("/interactions", "[{\"id\": \"demo-" + lead + "\", \"type\": \"CUSTOM:demo-requested\", \"contactId\": \""
                + contact + "\", \"occurredAt\": \"" + occurred + "\"}, {\"id\": \"form-" + lead + "\", \"type\": "
                + "\"FORM_SUBMITTED\", \"contactId\": \"" + contact + "\"}]", 202);
        assertEquals(65, score(lead, model));
        JsonPath why = get("/leads/" + lead + "/scores/" + model + "/explanation");
        assertEquals(List.of("demo", "form"), why.getList("hits.ruleId"));
        assertEquals(occurred.plus(Duration.ofDays(1)), Instant.parse(why.getString("hits[0].expiresAt")));
        assertNull(why.get("hits[1].expiresAt"));
        JsonObject ready = events.await(EventTypes.SCORE_CHANGED, d -> lead.toString().equals(d.getString("leadId"))
                && d.getBoolean("salesReady"));
        assertEquals(65, modelScore(ready, model).getInteger("score"));

        // the decay scheduler lowers the score and publishes the change: no longer sales-ready
        JsonObject decayed = events.await(EventTypes.SCORE_CHANGED, d -> lead.toString().equals(d.getString("leadId"))
                && !d.getBoolean("salesReady"));
        assertEquals(5, modelScore(decayed, model).getInteger("score"));
        assertEquals("C", modelScore(decayed, model).getString("grade"));
        assertTrue(decayed.getLong("sequence") > ready.getLong("sequence"));
        assertEquals(5, score(lead, model));
        assertEquals(List.of("form"), get("/leads/" + lead + "/scores/" + model + "/explanation")
                .getList("hits.ruleId"));
        JsonPath history = get("/leads/" + lead + "/scores/history");
        assertEquals(List.of("INTERACTION", "DECAY"), history.getList("items.findAll { it.modelId == '" + model
                + "' }.cause"));
        assertEquals(List.of(true, false), history.getList("items.findAll { it.modelId == '" + model
                + "' }.salesReady"));
    }

    @Test
    void contactAndLeadAttributesScoreAndClosedLeadsStop() {
        String topic = topic();
        String model = publishModel("""
                {"name": "Fit", "scope": {"topics": ["%s"]}, "salesReadyThreshold": 40,
                 "rules": [{"id": "director", "kind": "DEMOGRAPHIC", "attribute": "jobTitle", "operator": "CONTAINS",
                            "value": "director", "points": 15},
                           {"id": "iberia", "kind": "DEMOGRAPHIC", "attribute": "country", "operator": "IN",
                            "value": ["PT", "ES"], "points": 5},
                           {"id": "budget", "kind": "LEAD", "attribute": "budget", "operator": "GREATER_OR_EQUAL",
                            "value": 10000, "points": 20},
                           {"id": "open", "interactionType": "EMAIL_OPENED", "points": 1}]}""".formatted(topic));
        UUID lead = UUID.randomUUID();
        UUID contact = UUID.randomUUID();
        String email = "fit." + UUID.randomUUID() + "@example.com";
        contactEvents.sendAndAwait(JsonObject.mapFrom(Envelope.of(EventTypes.CONTACT_CREATED, "contact-service",
                Instant.now(), contact, 1, new ContactCreated(contact, email, "Ana", "Silva", "Acme", "Engineer", "PT",
                        true))));
        lead(lead, contact, topic);
        awaitScore(lead, model, 5);

        contactEvents.sendAndAwait(JsonObject.mapFrom(Envelope.of(EventTypes.CONTACT_UPDATED, "contact-service",
                Instant.now(), contact, 2, new ContactUpdated(contact, email, "Ana", "Silva", null, "Acme",
                        "IT Director", "Energy", "PT", true, List.of("jobTitle")))));
        awaitScore(lead, model, 20);
        leadEvents.sendAndAwait(JsonObject.mapFrom(Envelope.of(EventTypes.LEAD_UPDATED, "lead-service", Instant.now(),
                lead, 2, new LeadUpdated(lead, contact, topic, "MARKETING_FORM", "OPEN", "telesales", null,
                        new java.math.BigDecimal("25000"), "EUR", "THIS_QUARTER", "panels", true))));
        awaitScore(lead, model, 40);
        JsonObject ready = events.await(EventTypes.SCORE_CHANGED, d -> lead.toString().equals(d.getString("leadId"))
                && d.getBoolean("salesReady"));
        assertEquals(40, modelScore(ready, model).getInteger("score"));
        JsonPath why = get("/leads/" + lead + "/scores/" + model + "/explanation");
        assertTrue(why.getList("hits.ruleId").containsAll(List.of("director", "iberia", "budget")));
        assertEquals(List.of("DEMOGRAPHIC", "DEMOGRAPHIC", "LEAD"), why.getList("hits.kind"));

        // an interaction by e-mail over the inbound AMQP address
        interactions.sendAndAwait(new JsonObject().put("id", "amqp-open-" + lead).put("type", "EMAIL_OPENED")
                .put("email", email.toUpperCase()));
        awaitScore(lead, model, 41);

        // a closed lead is no longer scored
        leadEvents.sendAndAwait(JsonObject.mapFrom(Envelope.of(EventTypes.LEAD_STAGE_CHANGED, "lead-service",
                Instant.now(), lead, 3, new LeadStageChanged(lead, contact, "funnel", "SQL", "CLOSED_LOST", "LOST",
                        "CRM", "crm", "no budget after all"))));
        // once lead-service's stage change is applied, interactions no longer move the score
        await().atMost(ScoringTestSupport.PATIENCE).until(() -> {
            Integer before = score(lead, model);
            post("/interactions", "{\"id\": \"probe-" + UUID.randomUUID() + "\", \"type\": \"EMAIL_OPENED\", "
                    + "\"leadId\": \"" + lead + "\", \"contactId\": \"" + contact + "\"}", 202);
            return before.equals(score(lead, model));
        });
        Integer frozen = score(lead, model);
        String lastId = "after-close-" + lead;
        post("/interactions", "{\"id\": \"" + lastId + "\", \"type\": \"EMAIL_OPENED\", \"contactId\": \"" + contact
                + "\"}", 202);
        assertEquals(frozen, score(lead, model));
        assertFalse(get("/leads/" + lead + "/scores/" + model + "/explanation").getList("hits.interactionId")
                .contains(lastId));
    }

    @Test
    void aBatchOfInboundInteractionsCountsEachOnceAndABadOneHoldsUpNoOther() {
        String topic = topic();
        String model = publishModel("""
                {"name": "Opens", "scope": {"topics": ["%s"]}, "salesReadyThreshold": 1000,
                 "rules": [{"id": "open", "interactionType": "EMAIL_OPENED", "points": 1}]}""".formatted(topic));
        UUID lead = UUID.randomUUID();
        UUID contact = UUID.randomUUID();
        lead(lead, contact, topic);
        awaitTracked(lead);
        // sent without waiting for each, so the consumer takes them in batches: 30 interactions, 10 of them twice,
        // and in the middle a message that is not an interaction (it fails alone; the batch around it applies)
        List<io.smallrye.mutiny.Uni<Void>> sent = new java.util.ArrayList<>();
        for (int i = 0; i < 40; i++) {
            int n = i < 30 ? i : i - 30;
            sent.add(interactions.send(new JsonObject().put("id", "batch-" + lead + "-" + n).put("type", "EMAIL_OPENED")
                    .put("leadId", lead.toString()).put("contactId", contact.toString())));
            if (i == 15) {
                sent.add(interactions.send(new JsonObject().put("id", "bad-" + lead).put("type", "NOT_A_TYPE")));
            }
        }
        io.smallrye.mutiny.Uni.join().all(sent).andFailFast().await().atMost(ScoringTestSupport.PATIENCE);
        awaitScore(lead, model, 30);
        assertEquals(30, get("/leads/" + lead + "/scores/" + model + "/explanation").getList("hits").size());
    }

    @Test
    void mergeMovesInteractionsAndErasureRemovesThem() {
        String topic = topic();
        String model = publishModel("""
                {"name": "Clicks", "scope": {"topics": ["%s"]}, "salesReadyThreshold": 100,
                 "rules": [{"id": "click", "interactionType": "EMAIL_CLICKED", "points": 3}]}""".formatted(topic));
        UUID survivor = UUID.randomUUID();
        UUID duplicate = UUID.randomUUID();
        UUID survivorLead = UUID.randomUUID();
        UUID duplicateLead = UUID.randomUUID();
        // both contacts are known to scoring-service (contact.created), as they are in the running suite
        for (UUID contact : List.of(survivor, duplicate)) {
            contactEvents.sendAndAwait(JsonObject.mapFrom(Envelope.of(EventTypes.CONTACT_CREATED, "contact-service",
                    Instant.now(), contact, 1, new ContactCreated(contact, "merge." + contact + "@example.com", "Ana",
                            "Silva", "Acme", "Engineer", "PT", true))));
        }
        lead(survivorLead, survivor, topic);
        lead(duplicateLead, duplicate, topic);
        awaitTracked(survivorLead);
        awaitTracked(duplicateLead);
        post("/interactions", "[{\"id\": \"s-" + survivor + "\", \"type\": \"EMAIL_CLICKED\", \"contactId\": \""
                + survivor + "\"}, {\"id\": \"d-" + duplicate + "\", \"type\": \"EMAIL_CLICKED\", \"contactId\": \""
                + duplicate + "\"}]", 202);
        assertEquals(3, score(survivorLead, model));
        assertEquals(3, score(duplicateLead, model));

        contactEvents.sendAndAwait(JsonObject.mapFrom(Envelope.of(EventTypes.CONTACT_MERGED, "contact-service",
                Instant.now(), survivor, 3, new ContactMerged(survivor, duplicate))));
        // the duplicate's contact-wide click now counts for the survivor's lead too
        awaitScore(survivorLead, model, 6);
        post("/interactions", "{\"id\": \"after-merge-" + survivor + "\", \"type\": \"EMAIL_CLICKED\", "
                + "\"contactId\": \"" + survivor + "\"}", 202);
        assertEquals(9, score(survivorLead, model));
        // the moved lead is the survivor's now: it caught up with the survivor's contact-wide click, and counts the new one
        assertEquals(9, score(duplicateLead, model));

        contactEvents.sendAndAwait(JsonObject.mapFrom(Envelope.of(EventTypes.CONTACT_ERASED, "contact-service",
                Instant.now(), survivor, 4, new ContactErased(survivor))));
        await().atMost(ScoringTestSupport.PATIENCE).until(() -> get("/leads/" + survivorLead + "/scores")
                .getList("$").isEmpty());
        assertEquals(List.of(), get("/leads/" + duplicateLead + "/scores").getList("$"));
        assertEquals(List.of(), get("/leads/" + survivorLead + "/scores/history").getList("items"));
        // lead-service's events travel on another queue and may come after the erasure: they bring nothing back
        leadEvents.sendAndAwait(JsonObject.mapFrom(Envelope.of(EventTypes.LEAD_UPDATED, "lead-service", Instant.now(),
                duplicateLead, 5, new LeadUpdated(duplicateLead, survivor, topic, "MARKETING_FORM", "OPEN", null, null,
                        null, null, null, null, null))));
        post("/interactions", "{\"id\": \"late-" + duplicateLead + "\", \"type\": \"EMAIL_CLICKED\", "
                + "\"leadId\": \"" + duplicateLead + "\", \"contactId\": \"" + survivor + "\"}", 202);
        // a marker behind it on the same queue: once the marker is tracked, the late event has been applied
        UUID marker = UUID.randomUUID();
        lead(marker, UUID.randomUUID(), topic);
        awaitTracked(marker);
        assertEquals(List.of(), get("/leads/" + duplicateLead + "/scores").getList("$"));
        post("/interactions", "{\"id\": \"later-" + duplicateLead + "\", \"type\": \"EMAIL_CLICKED\", "
                + "\"leadId\": \"" + duplicateLead + "\", \"contactId\": \"" + survivor + "\"}", 202);
        assertEquals(List.of(), get("/leads/" + duplicateLead + "/scores").getList("$"));
        // the erased interactions are gone: submitting one of them again stores it as new
        JsonPath again = post("/interactions", "{\"id\": \"s-" + survivor + "\", \"type\": \"EMAIL_CLICKED\", "
                + "\"contactId\": \"" + UUID.randomUUID() + "\"}", 202);
        assertNotNull(again.getList("accepted"));
        assertEquals(List.of("s-" + survivor), again.getList("accepted"));
    }

    @Test
    void everyRouteIsDocumentedWithExamples() {
        String openapi = given().get("/q/openapi?format=json").then().statusCode(200).extract().asString();
        JsonObject doc = new JsonObject(openapi);
        JsonObject paths = doc.getJsonObject("paths");
        for (String path : List.of("/scoring/models", "/scoring/models/{id}", "/scoring/models/{id}/publish",
                "/scoring/models/{id}/retire", "/scoring/models/{id}/versions", "/scoring/models/{id}/versions/{version}",
                "/scoring/jobs/{id}", "/interactions", "/leads/{id}/scores", "/leads/{id}/scores/{modelId}/explanation",
                "/leads/{id}/scores/history")) {
            assertNotNull(paths.getJsonObject(path), path);
            assertTrue(paths.getJsonObject(path).encode().contains("\"examples\""), "examples for " + path);
        }
        given().get("/q/openapi?format=json").then().body("paths.keySet()", hasItems("/scoring/jobs/{id}"));
    }
}
