package io.leadsuite.lead.rest;

import static io.leadsuite.lead.rest.LeadWorkflowTest.capture;
import static io.leadsuite.lead.rest.LeadWorkflowTest.history;
import static io.leadsuite.lead.rest.LeadWorkflowTest.lead;
import static io.leadsuite.lead.rest.LeadWorkflowTest.post;
import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.not;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

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
import io.restassured.path.json.JsonPath;
import io.smallrye.reactive.messaging.MutinyEmitter;
import io.vertx.core.json.JsonObject;

/**
 * Sales acceptance is a stage the lead enters, by a sales user in the suite or by the CRM, and the accepted lead
 * switches to the built-in `sales-lead` flow, where the CRM's opportunity and close are steps; the history spans both
 * flows and the funnel of each counts its part. Against PostgreSQL and Artemis.
 */
@QuarkusTest
@QuarkusTestResource(FakeContactService.class)
class SalesAcceptanceTest {

    static final String MARKETING = TestTokens.forRoles("marketing");
    static final String TELESALES = TestTokens.forRoles("telesales");
    static final String SALES = TestTokens.forRoles("sales");
    static final String CRM = TestTokens.forRoles("crm");
    private static final UUID MODEL = UUID.fromString("00000000-0000-0000-0000-0000000000cc");

    @Inject
    EventProbe events;

    @Inject
    @Channel("test-score-updates")
    MutinyEmitter<JsonObject> scoreUpdates;

    private String[] salesReadyLead(String topic) {
        String[] lead = capture(topic);
        ScoreChanged data = new ScoreChanged(UUID.fromString(lead[0]), UUID.fromString(lead[1]),
                List.of(new ScoreChanged.ModelScore(MODEL, 1, "Default engagement", 70, "A", 50, true)), true, null);
        scoreUpdates.sendAndAwait(JsonObject.mapFrom(Envelope.of(EventTypes.SCORE_CHANGED, "scoring-service",
                Instant.now(), UUID.fromString(lead[0]), 1, data)));
        await().atMost(Duration.ofSeconds(20)).until(() -> lead(lead[0]).getBoolean("salesReady"));
        return lead;
    }

    private static List<String> kinds(List<Map<String, Object>> entries) {
        return entries.stream().map(e -> (String) e.get("kind")).toList();
    }

    @Test
    void aSalesUserAcceptsASalesReadyLeadWhichEntersSalesAcceptanceAndSwitchesToTheSalesFlow() {
        String[] notReady = capture("kitchens");
        post(SALES, "/leads/" + notReady[0] + "/accept", "{}").then().statusCode(409)
                .contentType("application/problem+json");
        post(SALES, "/leads/" + UUID.randomUUID() + "/accept", "{}").then().statusCode(404)
                .contentType("application/problem+json");

        String id = salesReadyLead("kitchens")[0];
        assertEquals("TELEPROSPECTING_ACCEPTANCE", lead(id).getString("stage"));
        post(MARKETING, "/leads/" + id + "/accept", "{}").then().statusCode(403);
        post(CRM, "/leads/" + id + "/accept", "{}").then().statusCode(403);
        post(SALES, "/leads/" + id + "/accept", "{\"owner\": ").then().statusCode(400)
                .contentType("application/problem+json");
        post(SALES, "/leads/" + id + "/accept", "{\"owner\": \"" + "x".repeat(201) + "\"}").then().statusCode(422)
                .contentType("application/problem+json").body("errors.field", hasItem("owner"));
        assertEquals("OPEN", lead(id).getString("status"), "refused calls change nothing");

        long version = post(SALES, "/leads/" + id + "/accept", "{\"reason\": \"Budget confirmed\"}").then()
                .statusCode(200).body("status", equalTo("ACCEPTED")).body("flow", equalTo("sales-lead"))
                .body("stage", equalTo("QUALIFY")).body("team", equalTo("sales"))
                .body("owner", equalTo("sales-user")).body("acceptedBy", equalTo("sales-user"))
                .extract().jsonPath().getLong("version");
        post(SALES, "/leads/" + id + "/accept", "{\"reason\": \"Budget confirmed\"}").then().statusCode(200)
                .body("version", equalTo((int) version));
        given().auth().oauth2(CRM).get("/crm/leads/sales-ready?limit=200").then().statusCode(200)
                .body("items.lead.id", not(hasItem(id)));

        List<Map<String, Object>> entries = history(id);
        List<Map<String, Object>> last = entries.subList(entries.size() - 3, entries.size());
        assertEquals(List.of("ACCEPTED", "STAGE_CHANGED", "FLOW_SWITCHED"), kinds(last), entries.toString());
        Map<String, Object> accepted = last.get(0);
        assertEquals("sales-user", accepted.get("actor"));
        assertEquals("MANUAL", accepted.get("cause"));
        assertEquals("Budget confirmed", accepted.get("reason"));
        Map<String, Object> entered = last.get(1);
        assertEquals("TELEPROSPECTING_ACCEPTANCE", entered.get("from"));
        assertEquals("SALES_ACCEPTANCE", entered.get("to"));
        assertEquals("marketing-lead", entered.get("flow"));
        assertEquals("sales-user", entered.get("actor"));
        Map<String, Object> switched = last.get(2);
        assertEquals("SALES_ACCEPTANCE", switched.get("from"));
        assertEquals("QUALIFY", switched.get("to"));
        assertEquals("marketing-lead", switched.get("fromFlow"));
        assertEquals("sales-lead", switched.get("flow"));
        assertEquals("CREATED", entries.get(0).get("kind"), "the history before the switch is kept");
        assertEquals("marketing-lead", entries.get(0).get("flow"));

        JsonObject acceptedEvent = events.await("lead.accepted", d -> id.equals(d.getString("leadId")));
        assertEquals("sales-user", acceptedEvent.getJsonObject("data").getString("actor"));
        events.await("lead.stage-changed", d -> id.equals(d.getString("leadId"))
                && "SALES_ACCEPTANCE".equals(d.getString("to")) && "marketing-lead".equals(d.getString("flow")));
        events.await("lead.stage-changed", d -> id.equals(d.getString("leadId")) && "QUALIFY".equals(d.getString("to"))
                && "sales-lead".equals(d.getString("flow")) && "ACCEPTED".equals(d.getString("status")));

        // another sales user cannot take it over by accepting it again
        String joao = TestTokens.mint("joao", TestTokens.ISSUER, 600, TestTokens.privateKey(), "sales");
        post(joao, "/leads/" + id + "/accept", "{}").then().statusCode(409).contentType("application/problem+json");
        given().auth().oauth2(SALES).get("/flows/sales-lead").then().statusCode(200)
                .body("stages.id", equalTo(List.of("QUALIFY", "DEVELOP", "PROPOSE", "CLOSE")));
    }

    @Test
    void aCrmAcceptsReportsAnOpportunityAndClosesWonInTheSalesFlow() {
        Instant start = Instant.now().minusSeconds(1);
        String id = salesReadyLead("insulation")[0];
        post(CRM, "/crm/leads/" + id + "/accept", "{\"crmLeadId\": \"00Q-" + id + "\", \"owner\": \"maria\"}").then()
                .statusCode(200).body("status", equalTo("ACCEPTED")).body("flow", equalTo("sales-lead"))
                .body("stage", equalTo("QUALIFY")).body("owner", equalTo("maria"))
                .body("acceptedBy", equalTo("crm-user"));
        post(CRM, "/crm/leads/" + id + "/opportunity", "{\"opportunityId\": \"OPP-" + id + "\", "
                + "\"estimatedRevenue\": 12500, \"estimatedClose\": \"2027-02-28\"}").then().statusCode(200)
                .body("status", equalTo("CONVERTED")).body("stage", equalTo("DEVELOP"));
        post(SALES, "/leads/" + id + "/transitions", "{\"to\": \"PROPOSE\", \"reason\": \"Proposal sent\"}").then()
                .statusCode(200).body("stage", equalTo("PROPOSE")).body("status", equalTo("CONVERTED"));
        post(TELESALES, "/leads/" + id + "/transitions", "{\"to\": \"CLOSE\"}").then().statusCode(403);
        post(CRM, "/crm/leads/" + id + "/close", "{\"outcome\": \"WON\", \"revenue\": 11800, \"reason\": \"Signed\"}")
                .then().statusCode(200).body("status", equalTo("WON")).body("stage", equalTo("CLOSE"))
                .body("flow", equalTo("sales-lead")).body("crm.revenue", equalTo(11800));

        List<Map<String, Object>> entries = history(id);
        for (Map<String, Object> e : entries) {
            if ("STAGE_CHANGED".equals(e.get("kind")) || "FLOW_SWITCHED".equals(e.get("kind"))) {
                assertTrue(!e.get("from").equals(e.get("to")), () -> "a stage change that changes nothing: " + e);
            }
        }
        List<String> path = entries.stream()
                .filter(e -> List.of("CREATED", "STAGE_CHANGED", "FLOW_SWITCHED").contains(e.get("kind")))
                .map(e -> e.get("flow") + ":" + e.get("to")).toList();
        assertEquals(List.of("marketing-lead:INQUIRY", "marketing-lead:AUTOMATED_MARKETING_QUALIFICATION",
                "marketing-lead:TELEPROSPECTING_ACCEPTANCE", "marketing-lead:SALES_ACCEPTANCE", "sales-lead:QUALIFY",
                "sales-lead:DEVELOP", "sales-lead:PROPOSE", "sales-lead:CLOSE"), path);
        assertTrue(entries.stream().anyMatch(e -> "ACCEPTED".equals(e.get("kind")) && "CRM".equals(e.get("cause"))
                && "crm-user".equals(e.get("actor"))), entries::toString);
        JsonObject closed = events.await("lead.closed", d -> id.equals(d.getString("leadId")));
        assertEquals("sales-lead", closed.getJsonObject("data").getString("flow"));
        assertEquals("CLOSE", closed.getJsonObject("data").getString("stage"));

        // the funnel of each flow counts its part of the way
        String to = Instant.now().plusSeconds(60).toString();
        JsonPath marketing = given().auth().oauth2(MARKETING).queryParam("flow", "marketing-lead")
                .queryParam("from", start.toString()).queryParam("to", to).get("/leads/funnel").then()
                .statusCode(200).extract().jsonPath();
        assertEquals(1, marketing.getInt("stages.find { it.stage == 'SALES_ACCEPTANCE' }.entered"));
        assertEquals(1, marketing.getInt("stages.find { it.stage == 'SALES_ACCEPTANCE' }.left"));
        assertEquals(1, marketing.getInt("conversions.find { it.from == 'SALES_ACCEPTANCE' && it.to == 'QUALIFY' }.count"));
        JsonPath sales = given().auth().oauth2(SALES).queryParam("flow", "sales-lead")
                .queryParam("from", start.toString()).queryParam("to", to).get("/leads/funnel").then()
                .statusCode(200).extract().jsonPath();
        assertEquals(List.of("QUALIFY", "DEVELOP", "PROPOSE", "CLOSE"), sales.getList("stages.stage"));
        assertEquals(List.of(1, 1, 1, 1), sales.getList("stages.entered"));
        assertEquals(List.of(1, 1, 1), sales.getList("conversions.count"));
    }

    @Test
    void aLeadRejectedAfterAcceptanceGoesBackToNurturingInTheFlowItCameFrom() {
        String id = salesReadyLead("windows")[0];
        post(SALES, "/leads/" + id + "/accept", "{\"owner\": \"maria\"}").then().statusCode(200)
                .body("flow", equalTo("sales-lead")).body("owner", equalTo("maria"));
        post(CRM, "/crm/leads/" + id + "/reject", "{\"reason\": \"No budget this year\"}").then().statusCode(200)
                .body("flow", equalTo("marketing-lead")).body("stage", equalTo("AUTOMATED_MARKETING_QUALIFICATION"))
                .body("status", equalTo("OPEN")).body("salesReady", equalTo(false))
                .body("acceptedBy", equalTo(null));
        List<Map<String, Object>> entries = history(id);
        Map<String, Object> back = entries.get(entries.size() - 1);
        assertEquals("FLOW_SWITCHED", back.get("kind"));
        assertEquals("sales-lead", back.get("fromFlow"));
        assertEquals("QUALIFY", back.get("from"));
        assertEquals("marketing-lead", back.get("flow"));
        assertEquals("CRM", back.get("cause"));
    }
}
