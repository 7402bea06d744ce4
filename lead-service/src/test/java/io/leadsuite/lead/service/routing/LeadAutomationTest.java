package io.leadsuite.lead.service.routing;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import jakarta.inject.Inject;

import org.eclipse.microprofile.reactive.messaging.Channel;
import org.junit.jupiter.api.Test;

import io.leadsuite.contracts.ContactCreated;
import io.leadsuite.contracts.Envelope;
import io.leadsuite.contracts.EventTypes;
import io.leadsuite.contracts.ScoreChanged;
import io.leadsuite.kit.testing.EventProbe;
import io.leadsuite.kit.testing.TestTokens;
import io.leadsuite.lead.rest.FakeContactService;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import io.smallrye.reactive.messaging.MutinyEmitter;
import io.vertx.core.json.JsonObject;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;

/** Routing rules, nurture triggers and stage SLAs, in the transactions of the lead changes they follow. */
@QuarkusTest
@QuarkusTestResource(FakeContactService.class)
class LeadAutomationTest {

    private static final String ADMIN = TestTokens.forRoles("admin");
    private static final String MARKETING = TestTokens.forRoles("marketing");
    private static final UUID MODEL = UUID.fromString("00000000-0000-0000-0000-0000000000dd");

    @Inject
    EventProbe events;

    @Inject
    Pool pool;

    @Inject
    @Channel("test-contact-events")
    MutinyEmitter<JsonObject> contactEvents;

    @Inject
    @Channel("test-score-updates")
    MutinyEmitter<JsonObject> scoreUpdates;

    private static JsonPath capture(String topic) {
        return given().auth().oauth2(MARKETING).contentType(ContentType.JSON)
                .body("{\"email\": \"auto." + UUID.randomUUID() + "@example.com\", \"topic\": \"" + topic
                        + "\", \"source\": \"EVENT\"}")
                .post("/captures").then().statusCode(201).extract().jsonPath();
    }

    private static JsonPath lead(String id) {
        return given().auth().oauth2(MARKETING).get("/leads/" + id).then().statusCode(200).extract().jsonPath();
    }

    private static List<Map<String, Object>> history(String id) {
        return given().auth().oauth2(MARKETING).get("/leads/" + id + "/history?limit=200").then().statusCode(200)
                .extract().jsonPath().getList("items");
    }

    private void score(String leadId, String contactId, long sequence, int score, String grade) {
        ScoreChanged data = new ScoreChanged(UUID.fromString(leadId), UUID.fromString(contactId),
                List.of(new ScoreChanged.ModelScore(MODEL, 1, "Automation test", score, grade, 1000, false)), false,
                null);
        scoreUpdates.sendAndAwait(JsonObject.mapFrom(Envelope.of(EventTypes.SCORE_CHANGED, "scoring-service",
                Instant.now(), UUID.fromString(leadId), sequence, data)));
    }

    private void country(String contactId, String country) {
        contact(contactId, country, false);
    }

    /** contact.created as contact-service publishes it, with the country and the (confirmed) marketing consent. */
    private void contact(String contactId, String country, boolean marketingConsent) {
        contactEvents.sendAndAwait(JsonObject.mapFrom(Envelope.of(EventTypes.CONTACT_CREATED, "contact-service",
                Instant.now(), UUID.fromString(contactId), 1,
                new ContactCreated(UUID.fromString(contactId), "x@example.com", null, null, null, null, country,
                        marketingConsent))));
        await().atMost(Duration.ofSeconds(10)).until(() -> pool.preparedQuery(
                "select 1 from contact_country where contact_id = $1").execute(Tuple.of(UUID.fromString(contactId)))
                .await().indefinitely().size() == 1);
    }

    private static void transition(String token, String leadId, String to) {
        given().auth().oauth2(token).contentType(ContentType.JSON).body("{\"to\": \"" + to + "\"}")
                .post("/leads/" + leadId + "/transitions").then().statusCode(200).body("stage", equalTo(to));
    }

    private void sql(String statement, Object... params) {
        pool.preparedQuery(statement).execute(Tuple.from(params)).await().indefinitely();
    }

    private static Map<String, Object> rule(String topic) {
        Map<String, Object> rule = new HashMap<>();
        rule.put("name", "Portuguese " + topic + " leads to Lisbon");
        rule.put("priority", 10);
        rule.put("stage", "AUTOMATED_MARKETING_QUALIFICATION");
        rule.put("topics", List.of(topic));
        rule.put("countries", List.of("PT"));
        rule.put("minScore", 5);
        rule.put("team", "telesales-lisbon");
        rule.put("members", List.of("rita", "joao"));
        return rule;
    }

    @Test
    void routingRulesAssignATeamAndOwnersInTurnWhenALeadEntersAStage() {
        String topic = "routing-" + UUID.randomUUID().toString().substring(0, 8);
        String ruleId = given().auth().oauth2(ADMIN).contentType(ContentType.JSON).body(rule(topic))
                .post("/routing-rules").then().statusCode(201)
                .body("members", equalTo(List.of("rita", "joao"))).extract().path("id");
        given().auth().oauth2(ADMIN).get("/routing-rules").then().statusCode(200).body("items.id", hasItem(ruleId));

        List<String> owners = new java.util.ArrayList<>();
        for (int i = 0; i < 3; i++) {
            JsonPath captured = capture(topic);
            String leadId = captured.getString("leadId");
            country(captured.getString("contactId"), "pt");
            score(leadId, captured.getString("contactId"), 1, 10, "C");
            await().atMost(Duration.ofSeconds(10)).until(() -> "telesales-lisbon".equals(lead(leadId).getString("team")));
            owners.add(lead(leadId).getString("owner"));
            Map<String, Object> assigned = history(leadId).stream().filter(e -> "ASSIGNED".equals(e.get("kind")))
                    .findFirst().orElseThrow();
            assertEquals("SYSTEM", assigned.get("cause"));
            assertEquals("routing", assigned.get("actor"));
            JsonObject event = events.await("lead.assigned", d -> leadId.equals(d.getString("leadId")));
            assertEquals(ruleId, event.getJsonObject("data").getString("ruleId"));
            assertEquals("AUTOMATED_MARKETING_QUALIFICATION", event.getJsonObject("data").getString("stage"));
        }
        assertEquals(List.of("rita", "joao", "rita"), owners, "round-robin among the rule's members");

        // another country: no rule matches, the stage's own team stays
        JsonPath spanish = capture(topic);
        country(spanish.getString("contactId"), "ES");
        score(spanish.getString("leadId"), spanish.getString("contactId"), 1, 10, "C");
        await().atMost(Duration.ofSeconds(10)).until(() -> "AUTOMATED_MARKETING_QUALIFICATION"
                .equals(lead(spanish.getString("leadId")).getString("stage")));
        events.await("lead.stage-changed", d -> spanish.getString("leadId").equals(d.getString("leadId")));
        assertEquals("marketing", lead(spanish.getString("leadId")).getString("team"));
        assertTrue(history(spanish.getString("leadId")).stream().noneMatch(e -> "ASSIGNED".equals(e.get("kind"))));

        // replace, read, delete; bad rules and other roles are refused
        Map<String, Object> changed = rule(topic);
        changed.put("team", "telesales-porto");
        changed.put("members", List.of());
        given().auth().oauth2(ADMIN).contentType(ContentType.JSON).body(changed).put("/routing-rules/" + ruleId)
                .then().statusCode(200).body("team", equalTo("telesales-porto")).body("members", equalTo(List.of()));
        Map<String, Object> bad = rule(topic);
        bad.put("minScore", 90);
        bad.put("maxScore", 10);
        bad.put("countries", List.of("Portugal"));
        bad.remove("team");
        given().auth().oauth2(ADMIN).contentType(ContentType.JSON).body(bad).post("/routing-rules").then()
                .statusCode(422).contentType("application/problem+json")
                .body("errors.field", hasItem("team")).body("errors.field", hasItem("minScore"))
                .body("errors.field", hasItem("countries"));
        given().auth().oauth2(MARKETING).get("/routing-rules").then().statusCode(403);
        given().auth().oauth2(ADMIN).delete("/routing-rules/" + ruleId).then().statusCode(204);
        given().auth().oauth2(ADMIN).get("/routing-rules/" + ruleId).then().statusCode(404);
    }

    @Test
    void nurtureTriggersEmitOncePerOccurrence() throws Exception {
        String topic = "nurture-" + UUID.randomUUID().toString().substring(0, 8);
        String stageTrigger = given().auth().oauth2(ADMIN).contentType(ContentType.JSON)
                .body(Map.of("name", "Welcome journey", "kind", "STAGE_ENTERED", "stage",
                        "AUTOMATED_MARKETING_QUALIFICATION", "topics", List.of(topic)))
                .post("/nurture-triggers").then().statusCode(201).extract().path("id");
        String gradeTrigger = given().auth().oauth2(ADMIN).contentType(ContentType.JSON)
                .body(Map.of("name", "Hot leads journey", "kind", "GRADE_REACHED", "grade", "A", "topics",
                        List.of(topic)))
                .post("/nurture-triggers").then().statusCode(201).extract().path("id");
        String idleTrigger = given().auth().oauth2(ADMIN).contentType(ContentType.JSON)
                .body(Map.of("name", "Wake-up e-mail", "kind", "NO_ACTIVITY", "inactiveDays", 3, "topics",
                        List.of(topic)))
                .post("/nurture-triggers").then().statusCode(201).extract().path("id");
        try {
            // a contact without confirmed marketing consent (a public form's consent is pending) is never nurtured
            JsonPath unconfirmed = capture(topic);
            String unconfirmedLead = unconfirmed.getString("leadId");
            contact(unconfirmed.getString("contactId"), null, false);
            score(unconfirmedLead, unconfirmed.getString("contactId"), 1, 10, "C");
            score(unconfirmedLead, unconfirmed.getString("contactId"), 2, 80, "A");
            sql("update lead set updated_at = now() - interval '4 days' where id = $1", UUID.fromString(unconfirmedLead));

            JsonPath captured = capture(topic);
            String leadId = captured.getString("leadId");
            String contactId = captured.getString("contactId");
            contact(contactId, null, true);
            score(leadId, contactId, 1, 10, "C");
            JsonObject entered = events.await("lead.nurture", d -> leadId.equals(d.getString("leadId"))
                    && stageTrigger.equals(d.getString("triggerId")));
            assertEquals("STAGE_ENTERED", entered.getJsonObject("data").getString("kind"));
            assertEquals(contactId, entered.getJsonObject("data").getString("contactId"));

            // grade band A: entered (fires), stays (no), left (no), entered again (fires)
            score(leadId, contactId, 2, 80, "A");
            events.await("lead.nurture", d -> leadId.equals(d.getString("leadId"))
                    && gradeTrigger.equals(d.getString("triggerId")));
            score(leadId, contactId, 3, 85, "A");
            score(leadId, contactId, 4, 40, "B");
            score(leadId, contactId, 5, 90, "A");
            await().atMost(Duration.ofSeconds(10)).until(() -> events.all("lead.nurture",
                    d -> leadId.equals(d.getString("leadId")) && gradeTrigger.equals(d.getString("triggerId")))
                    .size() == 2);

            // three days without activity (the clock is moved back in the database); the scan fires once
            sql("update lead set updated_at = now() - interval '4 days' where id = $1", UUID.fromString(leadId));
            JsonObject idle = events.await("lead.nurture", d -> leadId.equals(d.getString("leadId"))
                    && idleTrigger.equals(d.getString("triggerId")));
            assertEquals("NO_ACTIVITY", idle.getJsonObject("data").getString("kind"));
            Thread.sleep(2500);
            assertEquals(1, events.all("lead.nurture", d -> leadId.equals(d.getString("leadId"))
                    && idleTrigger.equals(d.getString("triggerId"))).size(), "one spell of inactivity, one event");
            assertEquals(1, events.all("lead.nurture", d -> leadId.equals(d.getString("leadId"))
                    && stageTrigger.equals(d.getString("triggerId"))).size());
            assertEquals(2, events.all("lead.nurture", d -> leadId.equals(d.getString("leadId"))
                    && gradeTrigger.equals(d.getString("triggerId"))).size());
            // entered a stage, reached grade A, idle for days: nothing for the contact without consent
            assertEquals(List.of(), events.all("lead.nurture", d -> unconfirmedLead.equals(d.getString("leadId"))));

            given().auth().oauth2(ADMIN).contentType(ContentType.JSON)
                    .body(Map.of("name", "x", "kind", "NO_ACTIVITY")).post("/nurture-triggers").then().statusCode(422)
                    .body("errors.field", hasItem("inactiveDays"));
            given().auth().oauth2(ADMIN).contentType(ContentType.JSON)
                    .body(Map.of("name", "x", "kind", "SOMETIMES")).post("/nurture-triggers").then().statusCode(400);
            given().auth().oauth2(MARKETING).get("/nurture-triggers").then().statusCode(403);
        } finally {
            for (String id : List.of(stageTrigger, gradeTrigger, idleTrigger)) {
                given().auth().oauth2(ADMIN).delete("/nurture-triggers/" + id).then().statusCode(204);
            }
        }
    }

    @Test
    void aLeadOverdueInAStageWithAnSlaIsFlaggedOnce() throws Exception {
        JsonPath captured = capture("sla-" + UUID.randomUUID().toString().substring(0, 8));
        String leadId = captured.getString("leadId");
        UUID lead = UUID.fromString(leadId);
        // the lead enters SALES_ACCEPTANCE (slaHours 48 in marketing-lead) through the lifecycle API
        String telesales = TestTokens.forRoles("telesales");
        transition(MARKETING, leadId, "AUTOMATED_MARKETING_QUALIFICATION");
        given().auth().oauth2(telesales).contentType(ContentType.JSON).body("{\"reason\": \"Asked for a quote\"}")
                .post("/leads/" + leadId + "/sales-ready").then().statusCode(200);
        transition(telesales, leadId, "TELEPROSPECTING_QUALIFICATION");
        given().auth().oauth2(telesales).contentType("application/merge-patch+json")
                .body("{\"qualification\": {\"budget\": 9000, \"currency\": \"EUR\", \"timeframe\": \"THIS_QUARTER\","
                        + " \"need\": \"Solar panels\", \"decisionMaker\": true}}")
                .patch("/leads/" + leadId).then().statusCode(200);
        transition(telesales, leadId, "SALES_ACCEPTANCE");
        // the deadline is recorded in the transaction of the transition: there when the answer comes, no waiting
        assertEquals(1, pool.preparedQuery("select 1 from lead_stage_sla where lead_id = $1 and stage = "
                + "'SALES_ACCEPTANCE' and due_at - entered_at = interval '48 hours'").execute(Tuple.of(lead)).await()
                .indefinitely().size());
        Thread.sleep(1500);
        assertTrue(events.all("lead.sla-breached", d -> leadId.equals(d.getString("leadId"))).isEmpty(),
                "not overdue yet");

        // 48 hours pass (the deadline is moved back in the database)
        sql("update lead_stage_sla set due_at = now() - interval '1 minute', entered_at = now() - interval "
                + "'48 hours 1 minute' where lead_id = $1", lead);
        JsonObject breached = events.await("lead.sla-breached", d -> leadId.equals(d.getString("leadId")));
        assertEquals("SALES_ACCEPTANCE", breached.getJsonObject("data").getString("stage"));
        assertEquals(48, breached.getJsonObject("data").getInteger("slaHours"));
        given().auth().oauth2(TestTokens.forRoles("sales")).get("/sla/overdue?team=sales&limit=200").then()
                .statusCode(200).body("items.leadId", hasItem(leadId));
        assertTrue(history(leadId).stream().anyMatch(e -> "SLA_BREACHED".equals(e.get("kind"))
                && "SYSTEM".equals(e.get("cause"))));
        Thread.sleep(2500);
        assertEquals(1, events.all("lead.sla-breached", d -> leadId.equals(d.getString("leadId"))).size());
    }
}
