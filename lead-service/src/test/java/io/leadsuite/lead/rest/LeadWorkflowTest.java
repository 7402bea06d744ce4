package io.leadsuite.lead.rest;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsInAnyOrder;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.hasItems;
import static org.hamcrest.Matchers.notNullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

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

/** Flows, transitions, qualification, return to nurturing and the CRM hand-off against PostgreSQL and Artemis. */
@QuarkusTest
@QuarkusTestResource(FakeContactService.class)
class LeadWorkflowTest {

    static final String MARKETING = TestTokens.forRoles("marketing");
    static final String TELESALES = TestTokens.forRoles("telesales");
    static final String SALES = TestTokens.forRoles("sales");
    static final String ADMIN = TestTokens.forRoles("admin");
    static final String CRM = TestTokens.forRoles("crm");
    private static final UUID MODEL = UUID.fromString("00000000-0000-0000-0000-0000000000bb");

    @Inject
    EventProbe events;

    @Inject
    @Channel("test-score-updates")
    MutinyEmitter<JsonObject> scoreUpdates;

    /** A captured lead in the default flow: [leadId, contactId]. */
    static String[] capture(String topic) {
        JsonPath captured = given().auth().oauth2(MARKETING).contentType(ContentType.JSON)
                .body("{\"email\": \"wf." + UUID.randomUUID() + "@example.com\", \"topic\": \"" + topic
                        + "\", \"source\": \"MARKETING_FORM\"}")
                .post("/captures").then().statusCode(201).extract().jsonPath();
        return new String[] { captured.getString("leadId"), captured.getString("contactId") };
    }

    static JsonPath lead(String id) {
        return given().auth().oauth2(MARKETING).get("/leads/" + id).then().statusCode(200).extract().jsonPath();
    }

    static List<Map<String, Object>> history(String id) {
        return given().auth().oauth2(MARKETING).get("/leads/" + id + "/history?limit=200").then().statusCode(200)
                .extract().jsonPath().getList("items");
    }

    static io.restassured.response.Response post(String token, String path, String body) {
        return given().auth().oauth2(token).contentType(ContentType.JSON).body(body).post(path);
    }

    private void score(String leadId, String contactId, long sequence, int points) {
        boolean ready = points >= 50;
        ScoreChanged data = new ScoreChanged(UUID.fromString(leadId), UUID.fromString(contactId),
                List.of(new ScoreChanged.ModelScore(MODEL, 1, "Default engagement", points, ready ? "B" : "D", 50,
                        ready)),
                ready, null);
        scoreUpdates.sendAndAwait(JsonObject.mapFrom(Envelope.of(EventTypes.SCORE_CHANGED, "scoring-service",
                Instant.now(), UUID.fromString(leadId), sequence, data)));
    }

    private String[] salesReadyLead(String topic) {
        String[] lead = capture(topic);
        score(lead[0], lead[1], 1, 70);
        await().atMost(Duration.ofSeconds(10)).until(() -> lead(lead[0]).getBoolean("salesReady"));
        return lead;
    }

    @Test
    void scoreFallingBelowTheThresholdReturnsAnUnacceptedLeadToNurturing() {
        String[] lead = salesReadyLead("boilers");
        assertEquals("TELEPROSPECTING_ACCEPTANCE", lead(lead[0]).getString("stage"));
        score(lead[0], lead[1], 2, 30);
        await().atMost(Duration.ofSeconds(10)).until(() -> !lead(lead[0]).getBoolean("salesReady"));
        JsonPath back = lead(lead[0]);
        assertEquals("AUTOMATED_MARKETING_QUALIFICATION", back.getString("stage"));
        assertEquals("marketing", back.getString("team"));
        assertEquals(null, back.getString("salesReadyBy"));
        List<Map<String, Object>> entries = history(lead[0]);
        Map<String, Object> cleared = entries.get(entries.size() - 2);
        Map<String, Object> moved = entries.get(entries.size() - 1);
        assertEquals("SALES_READY_CLEARED", cleared.get("kind"));
        assertEquals("SCORE", cleared.get("cause"));
        assertEquals("STAGE_CHANGED", moved.get("kind"));
        assertEquals("TELEPROSPECTING_ACCEPTANCE", moved.get("from"));
        assertEquals("AUTOMATED_MARKETING_QUALIFICATION", moved.get("to"));
        assertEquals("SCORE", moved.get("cause"));
        assertNotNull(moved.get("secondsInStage"), "time in stage is recorded on every stage change");
        JsonObject event = events.await("lead.stage-changed", d -> lead[0].equals(d.getString("leadId"))
                && "AUTOMATED_MARKETING_QUALIFICATION".equals(d.getString("to"))
                && "TELEPROSPECTING_ACCEPTANCE".equals(d.getString("from")));
        assertEquals("SCORE", event.getJsonObject("data").getString("cause"));
        // not in the CRM's feed any more
        given().auth().oauth2(CRM).get("/crm/leads/sales-ready?limit=200").then().statusCode(200)
                .body("items.lead.id", org.hamcrest.Matchers.not(hasItem(lead[0])));

        // accepted leads stay where they are
        String[] accepted = salesReadyLead("boilers");
        post(CRM, "/crm/leads/" + accepted[0] + "/accept", "{\"crmLeadId\": \"CRM-" + accepted[0] + "\"}").then()
                .statusCode(200);
        score(accepted[0], accepted[1], 2, 10);
        score(lead[0], lead[1], 3, 20); // a later message on the same queue: the one before it was consumed
        await().atMost(Duration.ofSeconds(10)).until(() -> lead(lead[0]).getInt("scores[0].score") == 20);
        await().atMost(Duration.ofSeconds(10)).until(() -> lead(accepted[0]).getInt("scores[0].score") == 10);
        JsonPath still = lead(accepted[0]);
        assertTrue(still.getBoolean("salesReady"));
        assertEquals("ACCEPTED", still.getString("status"));
        assertEquals("sales-lead", still.getString("flow"), "accepted: on in the sales flow");
        assertEquals("QUALIFY", still.getString("stage"));
    }

    @Test
    void transitionsFollowTheContract() {
        String id = capture("windows")[0];
        io.restassured.response.Response read = given().auth().oauth2(TELESALES).get("/leads/" + id);
        String etag = read.header("ETag");
        assertEquals("\"" + read.jsonPath().getLong("version") + "\"", etag);
        // 409: no such transition from INQUIRY
        post(MARKETING, "/leads/" + id + "/transitions", "{\"to\": \"SALES_ACCEPTANCE\"}").then().statusCode(409)
                .contentType("application/problem+json");
        // 403: telesales may not move a lead out of INQUIRY
        post(TELESALES, "/leads/" + id + "/transitions", "{\"to\": \"AUTOMATED_MARKETING_QUALIFICATION\"}").then()
                .statusCode(403).contentType("application/problem+json");
        post(CRM, "/leads/" + id + "/transitions", "{\"to\": \"AUTOMATED_MARKETING_QUALIFICATION\"}").then()
                .statusCode(403);
        // 422: the guard needs the sales-ready flag
        post(MARKETING, "/leads/" + id + "/transitions", "{\"to\": \"TELEPROSPECTING_ACCEPTANCE\"}").then()
                .statusCode(422).body("errors.field", equalTo(List.of("salesReady")));
        // 200, with If-Match
        io.restassured.response.Response moved = given().auth().oauth2(MARKETING).contentType(ContentType.JSON)
                .header("If-Match", etag).body("{\"to\": \"AUTOMATED_MARKETING_QUALIFICATION\", \"reason\": \"Nurture\"}")
                .post("/leads/" + id + "/transitions");
        moved.then().statusCode(200).body("stage", equalTo("AUTOMATED_MARKETING_QUALIFICATION"))
                .body("team", equalTo("marketing"));
        assertFalse(etag.equals(moved.header("ETag")), "a change gives a new ETag");
        // 412: the old ETag is stale now
        given().auth().oauth2(MARKETING).contentType(ContentType.JSON).header("If-Match", etag)
                .body("{\"to\": \"TELEPROSPECTING_ACCEPTANCE\"}").post("/leads/" + id + "/transitions")
                .then().statusCode(412).contentType("application/problem+json");
        Map<String, Object> last = history(id).get(history(id).size() - 1);
        assertEquals("MANUAL", last.get("cause"));
        assertEquals("marketing-user", last.get("actor"));
        assertEquals("Nurture", last.get("reason"));
        events.await("lead.stage-changed", d -> id.equals(d.getString("leadId")) && "MANUAL".equals(d.getString("cause")));

        // manual sales-ready is telesales' call
        post(MARKETING, "/leads/" + id + "/sales-ready", "{\"reason\": \"x\"}").then().statusCode(403);
        post(TELESALES, "/leads/" + id + "/sales-ready", "{\"reason\": \"Asked for a quote\"}").then()
                .statusCode(200).body("salesReady", equalTo(true)).body("salesReadyBy", equalTo("MANUAL"))
                .body("stage", equalTo("TELEPROSPECTING_ACCEPTANCE"));
        post(TELESALES, "/leads/" + id + "/transitions", "{\"to\": \"TELEPROSPECTING_QUALIFICATION\"}").then()
                .statusCode(200);
        post(TELESALES, "/leads/" + id + "/transitions", "{\"to\": \"SALES_ACCEPTANCE\"}").then().statusCode(422)
                .body("errors.field", containsInAnyOrder("qualification.budget", "qualification.timeframe",
                        "qualification.need"));

        // qualification
        given().auth().oauth2(TELESALES).contentType("application/merge-patch+json")
                .body("{\"qualification\": {\"budget\": -5, \"currency\": \"XYZ\", \"timeframe\": \"SOON\"}, \"stage\": \"X\"}")
                .patch("/leads/" + id).then().statusCode(422).contentType("application/problem+json")
                .body("errors.field", hasItems("qualification.budget", "qualification.currency",
                        "qualification.timeframe", "stage"));
        given().auth().oauth2(TELESALES).contentType("application/merge-patch+json").body("{\"qualification\": ")
                .patch("/leads/" + id).then().statusCode(400);
        given().auth().oauth2(TELESALES).contentType("application/merge-patch+json")
                .body("{\"qualification\": {\"budget\": 15000, \"currency\": \"EUR\", \"timeframe\": \"THIS_QUARTER\","
                        + " \"need\": \"Replace the windows\", \"decisionMaker\": true}, \"owner\": \"tina\"}")
                .patch("/leads/" + id).then().statusCode(200)
                .body("qualification.budget", equalTo(15000)).body("qualification.currency", equalTo("EUR"))
                .body("owner", equalTo("tina"));
        JsonObject updated = events.await("lead.updated", d -> id.equals(d.getString("leadId")));
        assertEquals("THIS_QUARTER", updated.getJsonObject("data").getString("timeframe"));
        assertEquals(15000, updated.getJsonObject("data").getNumber("budget").intValue());
        post(TELESALES, "/leads/" + id + "/transitions", "{\"to\": \"SALES_ACCEPTANCE\", \"reason\": \"Qualified\"}")
                .then().statusCode(200).body("stage", equalTo("SALES_ACCEPTANCE")).body("team", equalTo("sales"));
        List<Object> kinds = history(id).stream().map(e -> e.get("kind")).map(Object.class::cast).toList();
        assertEquals(List.of("CREATED", "STAGE_CHANGED", "SALES_READY", "STAGE_CHANGED", "STAGE_CHANGED", "UPDATED",
                "STAGE_CHANGED"), kinds);

        // side exits
        post(SALES, "/leads/" + id + "/disqualify", "{}").then().statusCode(422).body("errors.field", hasItem("reason"));
        post(SALES, "/leads/" + id + "/disqualify", "{\"reason\": \"Renting, not owning\"}").then().statusCode(200)
                .body("status", equalTo("DISQUALIFIED"));
        events.await("lead.closed", d -> id.equals(d.getString("leadId")) && "DISQUALIFIED".equals(d.getString("outcome")));
        post(SALES, "/leads/" + id + "/transitions", "{\"to\": \"TELEPROSPECTING_QUALIFICATION\"}").then()
                .statusCode(409);
        post(SALES, "/leads/" + id + "/reopen", "{\"reason\": \"Bought the house\"}").then().statusCode(200)
                .body("status", equalTo("OPEN")).body("stage", equalTo("AUTOMATED_MARKETING_QUALIFICATION"))
                .body("salesReady", equalTo(false));
        post(MARKETING, "/leads/" + id + "/recycle", "{}").then().statusCode(403);
        post(SALES, "/leads/" + id + "/recycle", "{}").then().statusCode(409);
    }

    @Test
    void concurrentTransitionsOnOneLeadAreAppliedOneAtATime() throws Exception {
        String id = capture("roofs")[0];
        ExecutorService pool = Executors.newFixedThreadPool(6);
        try {
            List<Callable<Integer>> calls = new ArrayList<>();
            for (int i = 0; i < 6; i++) {
                calls.add(() -> post(MARKETING, "/leads/" + id + "/transitions",
                        "{\"to\": \"AUTOMATED_MARKETING_QUALIFICATION\"}").statusCode());
            }
            List<Integer> statuses = new ArrayList<>();
            for (Future<Integer> f : pool.invokeAll(calls)) {
                statuses.add(f.get());
            }
            assertEquals(1, statuses.stream().filter(s -> s == 200).count(), statuses.toString());
            assertEquals(5, statuses.stream().filter(s -> s == 409).count(), statuses.toString());
        } finally {
            pool.shutdownNow();
        }
        assertEquals(1, history(id).stream().filter(e -> "STAGE_CHANGED".equals(e.get("kind"))).count());
    }

    @Test
    void crmCallsAreIdempotent() {
        String[] lead = salesReadyLead("heat-pumps");
        String id = lead[0];
        String accept = "{\"crmLeadId\": \"00Q-" + id + "\", \"owner\": \"maria\"}";
        post(MARKETING, "/crm/leads/" + id + "/accept", accept).then().statusCode(403);
        post(CRM, "/crm/leads/" + id + "/opportunity", "{\"opportunityId\": \"OPP-1\"}").then().statusCode(409);
        post(CRM, "/crm/leads/" + id + "/accept", "{}").then().statusCode(422).body("errors.field", hasItem("crmLeadId"));
        long version = post(CRM, "/crm/leads/" + id + "/accept", accept).then().statusCode(200)
                .body("status", equalTo("ACCEPTED")).body("crm.leadId", equalTo("00Q-" + id))
                .body("owner", equalTo("maria")).extract().jsonPath().getLong("version");
        post(CRM, "/crm/leads/" + id + "/accept", accept).then().statusCode(200).body("version", equalTo((int) version));
        post(CRM, "/crm/leads/" + id + "/accept", "{\"crmLeadId\": \"other\"}").then().statusCode(409);
        given().auth().oauth2(CRM).get("/crm/leads/sales-ready?limit=200").then().statusCode(200)
                .body("items.lead.id", org.hamcrest.Matchers.not(hasItem(id)));

        String opportunity = "{\"opportunityId\": \"OPP-" + id + "\", \"estimatedRevenue\": 12500.50, "
                + "\"estimatedClose\": \"2027-02-28\"}";
        post(CRM, "/crm/leads/" + id + "/opportunity", opportunity).then().statusCode(200)
                .body("status", equalTo("CONVERTED")).body("crm.opportunityId", equalTo("OPP-" + id))
                .body("crm.estimatedClose", equalTo("2027-02-28"));
        post(CRM, "/crm/leads/" + id + "/opportunity", opportunity).then().statusCode(200);
        post(CRM, "/crm/leads/" + id + "/opportunity", opportunity.replace("12500.50", "99")).then().statusCode(409);
        post(CRM, "/crm/leads/" + id + "/opportunity", "{\"opportunityId\": \"OPP-x\", \"estimatedRevenue\": -1}").then()
                .statusCode(422);

        String close = "{\"outcome\": \"WON\", \"revenue\": 11800, \"reason\": \"Signed\"}";
        post(CRM, "/crm/leads/" + id + "/close", "{\"outcome\": \"MAYBE\"}").then().statusCode(400);
        post(CRM, "/crm/leads/" + id + "/close", close).then().statusCode(200).body("status", equalTo("WON"))
                .body("crm.revenue", equalTo(11800));
        post(CRM, "/crm/leads/" + id + "/close", close).then().statusCode(200);
        post(CRM, "/crm/leads/" + id + "/close", close.replace("WON", "LOST")).then().statusCode(409);

        List<Object> kinds = history(id).stream().map(e -> e.get("kind")).map(Object.class::cast).toList();
        assertEquals(1, kinds.stream().filter("ACCEPTED"::equals).count(), kinds.toString());
        assertEquals(1, kinds.stream().filter("OPPORTUNITY"::equals).count(), kinds.toString());
        assertEquals(1, kinds.stream().filter("CLOSED"::equals).count(), kinds.toString());
        assertTrue(history(id).stream().filter(e -> "ACCEPTED".equals(e.get("kind")))
                .allMatch(e -> "CRM".equals(e.get("cause")) && "crm-user".equals(e.get("actor"))));
        assertEquals(1, events.all("lead.accepted", d -> id.equals(d.getString("leadId"))).size());
        events.await("lead.opportunity", d -> id.equals(d.getString("leadId")));
        JsonObject closed = events.await("lead.closed", d -> id.equals(d.getString("leadId")));
        assertEquals("WON", closed.getJsonObject("data").getString("outcome"));

        // reject: back to nurturing, once
        String other = salesReadyLead("heat-pumps-2")[0];
        String reject = "{\"reason\": \"No budget this year\"}";
        post(CRM, "/crm/leads/" + other + "/reject", reject).then().statusCode(200)
                .body("salesReady", equalTo(false)).body("stage", equalTo("AUTOMATED_MARKETING_QUALIFICATION"))
                .body("crm.rejectionReason", equalTo("No budget this year"));
        post(CRM, "/crm/leads/" + other + "/reject", reject).then().statusCode(200);
        post(CRM, "/crm/leads/" + other + "/reject", "{\"reason\": \"Something else\"}").then().statusCode(409);
        assertEquals(1, history(other).stream().filter(e -> "REJECTED".equals(e.get("kind"))).count());
        JsonObject rejected = events.await("lead.rejected", d -> other.equals(d.getString("leadId")));
        assertEquals("AUTOMATED_MARKETING_QUALIFICATION", rejected.getJsonObject("data").getString("stage"));
        post(CRM, "/crm/leads/" + UUID.randomUUID() + "/accept", accept).then().statusCode(404);
    }

    @Test
    void customFlowsAreValidatedVersionedAndLeadsKeepTheirVersion() {
        String flowId = "custom-" + UUID.randomUUID().toString().substring(0, 8);
        String flow = """
                {"name": "Inside sales", "teleprospecting": true, "nurtureStage": "NURTURE",
                 "returnToNurtureBelowThreshold": true,
                 "stages": [{"id": "NEW", "name": "New", "team": "marketing"},
                            {"id": "NURTURE", "name": "Nurture", "team": "marketing"},
                            {"id": "CALL", "name": "Call", "team": "telesales", "slaHours": 24},
                            {"id": "HANDED_OVER", "name": "Handed over", "team": "sales", "status": "ACCEPTED"}],
                 "transitions": [{"from": "NEW", "to": "NURTURE", "teams": ["marketing"], "guards": []},
                                 {"from": "NURTURE", "to": "CALL", "teams": ["marketing", "telesales"], "guards": ["salesReady"]},
                                 {"from": "CALL", "to": "HANDED_OVER", "teams": ["telesales"], "guards": ["qualification.need"]}],
                 "automation": [{"on": "SCORED", "from": ["NEW"], "to": "NURTURE"}]}""";
        given().auth().oauth2(MARKETING).contentType(ContentType.JSON).body(flow).put("/flows/" + flowId).then()
                .statusCode(403);
        given().auth().oauth2(ADMIN).contentType(ContentType.JSON).body(flow).put("/flows/" + flowId).then()
                .statusCode(200).body("version", equalTo(1)).body("id", equalTo(flowId));

        String contactId = capture("solar")[1];
        String leadId = given().auth().oauth2(SALES).contentType(ContentType.JSON)
                .body("{\"contactId\": \"" + contactId + "\", \"topic\": \"Attic Insulation\", \"source\": \"MANUAL\", "
                        + "\"flow\": \"" + flowId + "\"}")
                .post("/leads").then().statusCode(201).header("Location", notNullValue())
                .body("flow", equalTo(flowId)).body("flowVersion", equalTo(1)).body("stage", equalTo("NEW"))
                .body("topic", equalTo("attic insulation")).extract().path("id");
        given().auth().oauth2(SALES).contentType(ContentType.JSON)
                .body("{\"contactId\": \"" + contactId + "\", \"topic\": \"attic insulation\", \"source\": \"MANUAL\"}")
                .post("/leads").then().statusCode(409).body("existingId", equalTo(leadId));
        given().auth().oauth2(SALES).contentType(ContentType.JSON)
                .body("{\"contactId\": \"" + UUID.randomUUID() + "\", \"topic\": \"x\", \"source\": \"MANUAL\"}")
                .post("/leads").then().statusCode(422).body("errors.field", hasItem("contactId"));
        given().auth().oauth2(SALES).contentType(ContentType.JSON)
                .body("{\"contactId\": \"" + contactId + "\", \"topic\": \"y\", \"source\": \"MANUAL\", \"flow\": \"nope\"}")
                .post("/leads").then().statusCode(422).body("errors.field", hasItem("flow"));

        // version 2 drops the NEW -> NURTURE transition; the lead on version 1 keeps it
        String v2 = flow.replace("{\"from\": \"NEW\", \"to\": \"NURTURE\", \"teams\": [\"marketing\"], \"guards\": []},",
                "{\"from\": \"NEW\", \"to\": \"CALL\", \"teams\": [\"marketing\"], \"guards\": []},"
                        + "{\"from\": \"NEW\", \"to\": \"NURTURE\", \"teams\": [\"sales\"], \"guards\": []},");
        given().auth().oauth2(ADMIN).contentType(ContentType.JSON).body(v2).put("/flows/" + flowId).then()
                .statusCode(200).body("version", equalTo(2));
        given().auth().oauth2(SALES).get("/flows/" + flowId).then().statusCode(200).body("version", equalTo(2));
        given().auth().oauth2(SALES).get("/flows/" + flowId + "/versions/1").then().statusCode(200)
                .body("version", equalTo(1)).body("transitions[0].to", equalTo("NURTURE"));
        given().auth().oauth2(SALES).get("/flows/" + flowId + "/versions/9").then().statusCode(404);
        post(SALES, "/leads/" + leadId + "/transitions", "{\"to\": \"NURTURE\"}").then().statusCode(403);
        post(MARKETING, "/leads/" + leadId + "/transitions", "{\"to\": \"NURTURE\"}").then().statusCode(200)
                .body("flowVersion", equalTo(1));

        // a flow that cannot work: every problem named
        String broken = """
                {"name": "Broken", "teleprospecting": false,
                 "stages": [{"id": "A", "name": "A", "team": "marketing"}, {"id": "A", "name": "Again", "team": "finance"},
                            {"id": "B", "name": "B", "team": "sales"}, {"id": "C", "name": "C", "team": "sales"}],
                 "transitions": [{"from": "A", "to": "GHOST", "teams": ["marketing"], "guards": ["qualification.shoeSize"]}]}""";
        given().auth().oauth2(ADMIN).contentType(ContentType.JSON).body(broken).put("/flows/" + flowId + "-x").then()
                .statusCode(422).contentType("application/problem+json")
                .body("errors.field", hasItems("stages[1].id", "stages[1].team", "transitions[0].to",
                        "transitions[0].guards"));
        String unreachable = """
                {"name": "Unreachable", "stages": [{"id": "A", "name": "A", "team": "marketing"},
                  {"id": "B", "name": "B", "team": "sales"}, {"id": "C", "name": "C", "team": "sales"}],
                 "transitions": [{"from": "A", "to": "B", "teams": ["marketing"]}, {"from": "B", "to": "A", "teams": ["sales"]}]}""";
        given().auth().oauth2(ADMIN).contentType(ContentType.JSON).body(unreachable).put("/flows/" + flowId + "-y")
                .then().statusCode(422).body("errors.field", hasItems("stages[2]"));
        given().auth().oauth2(ADMIN).contentType(ContentType.JSON).body("{\"name\": \"x\", \"stages\": \"many\"}")
                .put("/flows/" + flowId + "-z").then().statusCode(400);
        given().auth().oauth2(ADMIN).get("/flows/" + flowId + "-x").then().statusCode(404);
    }

    @Test
    void theFunnelCountsStagesConversionsAndMedianTimeInStage() {
        String flowId = "funnel-" + UUID.randomUUID().toString().substring(0, 8);
        String flow = """
                {"name": "Mini", "teleprospecting": false,
                 "stages": [{"id": "NEW", "name": "New", "team": "marketing"},
                            {"id": "WARM", "name": "Warm", "team": "marketing"},
                            {"id": "DONE", "name": "Done", "team": "sales"}],
                 "transitions": [{"from": "NEW", "to": "WARM", "teams": ["marketing"]},
                                 {"from": "WARM", "to": "DONE", "teams": ["sales"]}]}""";
        given().auth().oauth2(ADMIN).contentType(ContentType.JSON).body(flow).put("/flows/" + flowId).then()
                .statusCode(200);
        String contactId = capture("solar")[1];
        List<String> ids = new ArrayList<>();
        for (String topic : List.of("a", "b", "c", "d")) {
            ids.add(given().auth().oauth2(MARKETING).contentType(ContentType.JSON)
                    .body("{\"contactId\": \"" + contactId + "\", \"topic\": \"" + topic + "\", \"source\": \"MANUAL\", "
                            + "\"flow\": \"" + flowId + "\"}")
                    .post("/leads").then().statusCode(201).extract().path("id"));
        }
        for (String id : ids.subList(0, 3)) {
            post(MARKETING, "/leads/" + id + "/transitions", "{\"to\": \"WARM\"}").then().statusCode(200);
        }
        post(SALES, "/leads/" + ids.get(0) + "/transitions", "{\"to\": \"DONE\"}").then().statusCode(200);

        JsonPath funnel = given().auth().oauth2(MARKETING).queryParam("flow", flowId)
                .queryParam("from", Instant.now().minusSeconds(3600).toString())
                .queryParam("to", Instant.now().plusSeconds(60).toString())
                .get("/leads/funnel").then().statusCode(200).extract().jsonPath();
        assertEquals(List.of("NEW", "WARM", "DONE"), funnel.getList("stages.stage"));
        assertEquals(List.of(4, 3, 1), funnel.getList("stages.entered"));
        assertEquals(List.of(3, 1, 0), funnel.getList("stages.left"));
        assertEquals(List.of(1, 2, 1), funnel.getList("stages.current"));
        assertNotNull(funnel.get("stages[0].medianHoursInStage"));
        assertEquals((Object) null, funnel.get("stages[2].medianHoursInStage"));
        assertEquals(List.of("NEW", "WARM"), funnel.getList("conversions.from"));
        assertEquals(List.of(3, 1), funnel.getList("conversions.count"));
        assertEquals(0.75f, funnel.getFloat("conversions[0].rate"));

        given().auth().oauth2(MARKETING).queryParam("flow", flowId).queryParam("from", "yesterday")
                .get("/leads/funnel").then().statusCode(400);
        given().auth().oauth2(MARKETING).queryParam("flow", "no-such-flow").get("/leads/funnel").then().statusCode(404);
        given().auth().oauth2(CRM).get("/leads/funnel").then().statusCode(403);
    }

    @Test
    void leadsCanBeListedByFilter() {
        String[] first = capture("pools");
        String contactId = first[1];
        String second = given().auth().oauth2(SALES).contentType(ContentType.JSON)
                .body("{\"contactId\": \"" + contactId + "\", \"topic\": \"Saunas\", \"source\": \"MANUAL\", "
                        + "\"flow\": \"funnel\"}")
                .post("/leads").then().statusCode(201).extract().path("id");
        given().auth().oauth2(SALES).get("/leads?contactId=" + contactId).then().statusCode(200)
                .body("items.id", containsInAnyOrder(first[0], second));
        given().auth().oauth2(SALES).get("/leads?contactId=" + contactId + "&stage=LEAD&status=OPEN&team=marketing"
                + "&salesReady=false&topic=SAUNAS").then().statusCode(200).body("items.id", equalTo(List.of(second)));
        given().auth().oauth2(SALES).get("/leads?contactId=" + contactId + "&limit=1").then().statusCode(200)
                .body("items.size()", equalTo(1)).body("next", notNullValue());
        given().auth().oauth2(SALES).get("/leads?status=SLEEPING").then().statusCode(400);
    }

    @Test
    void everyRouteIsInTheOpenApiWithExamples() {
        String openapi = given().accept("application/json").get("/q/openapi?format=json").then().statusCode(200)
                .extract().asString();
        JsonObject doc = new JsonObject(openapi);
        JsonObject paths = doc.getJsonObject("paths");
        for (String path : List.of("/leads/{id}/transitions", "/leads/{id}/sales-ready", "/leads/{id}/disqualify",
                "/leads/{id}/recycle", "/leads/{id}/reopen", "/leads/funnel", "/flows/{id}", "/crm/leads/{id}/accept",
                "/crm/leads/{id}/reject", "/crm/leads/{id}/opportunity", "/crm/leads/{id}/close", "/leads/{id}/accept")) {
            assertNotNull(paths.getJsonObject(path), path);
        }
        assertTrue(paths.getJsonObject("/leads/{id}").containsKey("patch"));
        assertTrue(openapi.contains("\"examples\""));
    }
}
