package io.leadsuite.e2e;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import io.leadsuite.kit.testing.TestTokens;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import io.restassured.specification.RequestSpecification;

/**
 * The seed's five stages walked with one lead, through the gateway as the marketing, telesales and sales consoles and
 * a CRM would: a form capture (INQUIRY), scoring (AUTOMATED_MARKETING_QUALIFICATION), interactions until sales-ready
 * (TELEPROSPECTING_ACCEPTANCE), telesales' qualification (TELEPROSPECTING_QUALIFICATION), a sales user's acceptance
 * (SALES_ACCEPTANCE); then the switch to the sales flow (QUALIFY, DEVELOP, PROPOSE, CLOSE) with the CRM's
 * opportunity, and WON. One history, oldest first, spans both flows; the funnel of each flow counts its part. The won
 * revenue flows back to the campaign the form named (its source) and to the campaign an interaction named (its
 * influence).
 */
class SalesAcceptanceIT {

    private static final String MARKETING = TestTokens.forRoles("marketing");
    private static final String TELESALES = TestTokens.forRoles("telesales");
    private static final String SALES = TestTokens.forRoles("sales");
    private static final String CRM = TestTokens.forRoles("crm");
    private static Suite suite;

    @BeforeAll
    static void startSuite() throws Exception {
        suite = new Suite();
        Duration took = suite.startAll();
        System.out.printf("[e2e] suite of four services ready in %d ms%n", took.toMillis());
    }

    @AfterAll
    static void stopSuite() {
        if (suite != null) {
            suite.close();
        }
    }

    private static RequestSpecification gateway(String token) {
        return given().baseUri("http://localhost:" + Suite.GATEWAY).auth().oauth2(token)
                .contentType(ContentType.JSON);
    }

    private static JsonPath lead(String leadId) {
        return gateway(MARKETING).get("/api/leads/" + leadId).then().statusCode(200).extract().jsonPath();
    }

    private static int leadScore(String leadId) {
        JsonPath lead = lead(leadId);
        return lead.getList("scores").isEmpty() ? Integer.MIN_VALUE : lead.getInt("scores[0].score");
    }

    private static JsonPath step(String token, String path, String body) {
        return gateway(token).body(body).post(path).then().statusCode(200).extract().jsonPath();
    }

    @Test
    void aLeadWalksTheFiveStagesFromAFormToSalesAcceptanceAndOnToWonInTheSalesFlow() {
        Instant start = Instant.now().minusSeconds(1);
        String email = "walk." + UUID.randomUUID() + "@example.com";

        // the campaign the form belongs to
        String campaign = "Solar roadshow " + UUID.randomUUID();
        String campaignId = gateway(MARKETING).body(Map.of("name", campaign, "channel", "EVENT", "cost", 900))
                .post("/api/campaigns").then().statusCode(201).extract().path("id");

        // 1. INQUIRY: a web-form submission
        Map<String, Object> form = new LinkedHashMap<>(Map.of("email", email, "firstName", "Ana", "lastName",
                "Silva", "company", "Acme", "jobTitle", "IT Director", "country", "PT", "topic", "solar-panels",
                "source", "MARKETING_FORM", "sourceRef", "form-42", "consent", true));
        form.put("campaign", campaign.toLowerCase(java.util.Locale.ROOT));
        String leadId = Captures.post(() -> gateway(MARKETING), form)
                .then().statusCode(201).extract().path("leadId");
        JsonPath captured = lead(leadId);
        String contactId = captured.getString("contactId");
        assertEquals("marketing-lead", captured.getString("flow"));

        // 2. AUTOMATED_MARKETING_QUALIFICATION: the capture is scored
        await().atMost(Duration.ofSeconds(30)).until(() -> leadScore(leadId) > 0);
        assertEquals("AUTOMATED_MARKETING_QUALIFICATION", lead(leadId).getString("stage"));

        // 3. TELEPROSPECTING_ACCEPTANCE: interactions until the default model's threshold; one clicked the e-mail of
        // a webinar campaign, named as the e-mail system writes it
        String webinar = "Heat pump webinar " + UUID.randomUUID();
        String webinarId = gateway(MARKETING).body(Map.of("name", webinar, "channel", "EMAIL")).post("/api/campaigns")
                .then().statusCode(201).extract().path("id");
        ScoringModel model = ScoringModel.published(gateway(MARKETING));
        int clicks = model.interactionsToReach("EMAIL_CLICKED", model.threshold - leadScore(leadId));
        List<Map<String, Object>> batch = new ArrayList<>();
        for (int i = 0; i < clicks; i++) {
            Map<String, Object> item = new LinkedHashMap<>();
            item.put("id", UUID.randomUUID().toString());
            item.put("type", "EMAIL_CLICKED");
            item.put("contactId", contactId);
            item.put("occurredAt", Instant.now().toString());
            if (i == 0) {
                item.put("attributes", Map.of("url", "https://example.com/webinar", "campaign",
                        webinar.toUpperCase(java.util.Locale.ROOT)));
            }
            batch.add(item);
        }
        gateway(MARKETING).body(batch).post("/api/interactions").then().statusCode(202);
        await().atMost(Duration.ofSeconds(30)).until(() -> lead(leadId).getBoolean("salesReady"));
        assertEquals("TELEPROSPECTING_ACCEPTANCE", lead(leadId).getString("stage"));

        // a sales user cannot accept a lead that is not sales-ready: a clear 409, nothing changes
        String other = Captures.post(() -> gateway(MARKETING), Map.of("email", "cold." + UUID.randomUUID()
                + "@example.com", "topic", "solar-panels", "source", "MARKETING_FORM"))
                .then().statusCode(201).extract().path("leadId");
        gateway(SALES).body("{}").post("/api/leads/" + other + "/accept").then().statusCode(409)
                .contentType("application/problem+json");
        gateway(TELESALES).body("{}").post("/api/leads/" + leadId + "/accept").then().statusCode(403)
                .contentType("application/problem+json");

        // 4. TELEPROSPECTING_QUALIFICATION: telesales takes it and records budget, timeframe and need
        step(TELESALES, "/api/leads/" + leadId + "/transitions",
                "{\"to\": \"TELEPROSPECTING_QUALIFICATION\", \"reason\": \"Reached by phone\"}");
        gateway(TELESALES).contentType("application/merge-patch+json")
                .body("{\"qualification\": {\"budget\": 15000, \"currency\": \"EUR\", \"timeframe\": \"THIS_QUARTER\","
                        + " \"need\": \"Cut the energy bill\", \"decisionMaker\": true}}")
                .patch("/api/leads/" + leadId).then().statusCode(200);

        // 5. SALES_ACCEPTANCE: a sales user accepts it; the lead switches to the sales flow
        JsonPath accepted = step(SALES, "/api/leads/" + leadId + "/accept",
                "{\"owner\": \"maria\", \"reason\": \"Budget confirmed, taking it\"}");
        assertEquals("ACCEPTED", accepted.getString("status"));
        assertEquals("sales-lead", accepted.getString("flow"));
        assertEquals("QUALIFY", accepted.getString("stage"));
        assertEquals("maria", accepted.getString("owner"));
        assertEquals("sales-user", accepted.getString("acceptedBy"));
        assertFalse(SalesReadyFeed.leadIds(() -> gateway(CRM), "/api/crm/leads/sales-ready").contains(leadId));

        // the sales flow: develop (the CRM reports the opportunity), propose, close WON
        step(SALES, "/api/leads/" + leadId + "/transitions", "{\"to\": \"DEVELOP\", \"reason\": \"Site survey\"}");
        JsonPath opportunity = step(CRM, "/api/crm/leads/" + leadId + "/opportunity",
                "{\"opportunityId\": \"0065e00000XyZ12\", \"estimatedRevenue\": 12500.00, \"estimatedClose\": \"2027-02-28\"}");
        assertEquals("CONVERTED", opportunity.getString("status"));
        assertEquals("DEVELOP", opportunity.getString("stage"));
        step(SALES, "/api/leads/" + leadId + "/transitions", "{\"to\": \"PROPOSE\", \"reason\": \"Proposal sent\"}");
        step(SALES, "/api/leads/" + leadId + "/transitions", "{\"to\": \"CLOSE\", \"reason\": \"Negotiating\"}");
        JsonPath won = step(CRM, "/api/crm/leads/" + leadId + "/close",
                "{\"outcome\": \"WON\", \"revenue\": 11800.00, \"reason\": \"Signed\"}");
        assertEquals("WON", won.getString("status"));
        assertEquals("CLOSE", won.getString("stage"));
        assertEquals("sales-lead", won.getString("flow"));
        gateway(SALES).body("{\"to\": \"PROPOSE\"}").post("/api/leads/" + leadId + "/transitions").then()
                .statusCode(409).contentType("application/problem+json");

        // the history: one list across both flows, oldest first
        JsonPath historyPage = gateway(MARKETING).get("/api/leads/" + leadId + "/history?limit=200").then()
                .statusCode(200).extract().jsonPath();
        System.out.printf("[e2e] history of lead %s as JSON:%n%s%n", leadId, historyPage.prettify());
        List<Map<String, Object>> history = historyPage.getList("items");
        history.forEach(e -> System.out.printf("[e2e] history: %-14s %-24s -> %-34s %-15s %-6s %-16s %s%n",
                e.get("kind"), e.get("from"), e.get("to"), e.get("flow"), e.get("cause"), e.get("actor"),
                e.get("reason")));
        List<String> stages = history.stream()
                .filter(e -> List.of("CREATED", "STAGE_CHANGED", "FLOW_SWITCHED").contains(e.get("kind")))
                .map(e -> e.get("flow") + ":" + e.get("to")).toList();
        assertEquals(List.of("marketing-lead:INQUIRY", "marketing-lead:AUTOMATED_MARKETING_QUALIFICATION",
                "marketing-lead:TELEPROSPECTING_ACCEPTANCE", "marketing-lead:TELEPROSPECTING_QUALIFICATION",
                "marketing-lead:SALES_ACCEPTANCE", "sales-lead:QUALIFY", "sales-lead:DEVELOP", "sales-lead:PROPOSE",
                "sales-lead:CLOSE"), stages, () -> "history: " + history);
        for (Map<String, Object> e : history) {
            if (List.of("STAGE_CHANGED", "FLOW_SWITCHED").contains(e.get("kind"))) {
                assertNotEquals(e.get("from"), e.get("to"), () -> "a stage change that changes nothing: " + e);
            }
        }
        Map<String, Object> enteredAcceptance = history.stream()
                .filter(e -> "SALES_ACCEPTANCE".equals(e.get("to")) && "STAGE_CHANGED".equals(e.get("kind")))
                .findFirst().orElseThrow();
        assertEquals("TELEPROSPECTING_QUALIFICATION", enteredAcceptance.get("from"));
        assertEquals("sales-user", enteredAcceptance.get("actor"), "the history names who accepted the lead");
        assertEquals("MANUAL", enteredAcceptance.get("cause"));
        assertTrue(history.stream().anyMatch(e -> "ACCEPTED".equals(e.get("kind")) && "sales-user".equals(e.get("actor"))
                && "Budget confirmed, taking it".equals(e.get("reason"))), () -> "history: " + history);
        Map<String, Object> switched = history.stream().filter(e -> "FLOW_SWITCHED".equals(e.get("kind")))
                .findFirst().orElseThrow();
        assertEquals("marketing-lead", switched.get("fromFlow"));
        assertEquals("SALES_ACCEPTANCE", switched.get("from"));
        Map<String, Object> last = history.get(history.size() - 1);
        assertEquals("CLOSED", last.get("kind"));
        assertEquals("CRM", last.get("cause"));
        assertEquals("Closed WON: Signed", last.get("reason"));
        assertTrue(history.stream().anyMatch(e -> "OPPORTUNITY".equals(e.get("kind"))), () -> "history: " + history);

        // the funnel of each flow counts the lead in its part of the way
        String to = Instant.now().plusSeconds(60).toString();
        JsonPath marketingFunnel = gateway(MARKETING).queryParam("flow", "marketing-lead")
                .queryParam("from", start.toString()).queryParam("to", to).get("/api/leads/funnel").then()
                .statusCode(200).extract().jsonPath();
        assertTrue(marketingFunnel.getInt("stages.find { it.stage == 'SALES_ACCEPTANCE' }.entered") >= 1);
        JsonPath salesFunnel = gateway(SALES).queryParam("flow", "sales-lead").queryParam("from", start.toString())
                .queryParam("to", to).get("/api/leads/funnel").then().statusCode(200).extract().jsonPath();
        assertEquals(List.of("QUALIFY", "DEVELOP", "PROPOSE", "CLOSE"), salesFunnel.getList("stages.stage"));
        for (String stage : List.of("QUALIFY", "DEVELOP", "PROPOSE", "CLOSE")) {
            assertTrue(salesFunnel.getInt("stages.find { it.stage == '" + stage + "' }.entered") >= 1,
                    () -> stage + " entered: " + salesFunnel.prettify());
        }
        assertEquals(11800.0, lead(leadId).getDouble("crm.revenue"));
        assertEquals(campaignId, lead(leadId).getString("campaign"));

        // the closed loop: the won revenue flows back to the campaign, in JSON and in CSV
        JsonPath report = gateway(SALES).queryParam("by", "campaign").queryParam("from", start.toString())
                .queryParam("to", to).get("/api/reports/closed-loop").then().statusCode(200).extract().jsonPath();
        Map<String, Object> row = report.getMap("rows.find { it.key == '" + campaign + "' }");
        assertEquals(List.of(1, 1, 1, 1, 1, 1, 0), List.of(row.get("leads"), row.get("mql"), row.get("sal"),
                row.get("sql"), row.get("opportunities"), row.get("won"), row.get("lost")), () -> row.toString());
        assertEquals(11800.0, ((Number) row.get("wonRevenue")).doubleValue());
        assertEquals(0.0, ((Number) row.get("pipelineRevenue")).doubleValue());
        String csv = gateway(MARKETING).accept("text/csv").queryParam("by", "campaign")
                .queryParam("from", start.toString()).queryParam("to", to).get("/api/reports/closed-loop").then()
                .statusCode(200).extract().asString();
        assertTrue(csv.contains("\r\n" + campaign + ",1,1,1,1,1,1,0,0.00,11800.00,1.0,1.0,1.0,1.0,1.0,1.0,"), csv);
        JsonPath results = gateway(MARKETING).get("/api/campaigns/" + campaignId).then().statusCode(200).extract()
                .jsonPath();
        assertEquals(List.of(1, 1, 1), List.of(results.getInt("results.members"), results.getInt("results.leads"),
                results.getInt("results.wonLeads")));
        assertEquals(11800.0, results.getDouble("results.influencedRevenue"));

        // the webinar's e-mail was clicked on the way: its results count the lead as influenced, not sourced
        await().atMost(Duration.ofSeconds(30)).until(() -> gateway(MARKETING).get("/api/campaigns/" + webinarId)
                .then().statusCode(200).extract().jsonPath().getInt("results.leads") == 1);
        JsonPath influenced = gateway(MARKETING).get("/api/campaigns/" + webinarId).then().statusCode(200).extract()
                .jsonPath();
        assertEquals(List.of(1, 1, 0, 1), List.of(influenced.getInt("results.members"),
                influenced.getInt("results.leads"), influenced.getInt("results.sourcedLeads"),
                influenced.getInt("results.wonLeads")));
        assertEquals(11800.0, influenced.getDouble("results.influencedRevenue"));
        assertEquals(0.0, influenced.getDouble("results.sourcedRevenue"));
        assertEquals(List.of(), gateway(MARKETING).queryParam("campaign", webinarId).get("/api/leads").then()
                .statusCode(200).extract().jsonPath().getList("items"), "it sourced no lead");
        gateway(TELESALES).get("/api/reports/closed-loop").then().statusCode(403)
                .contentType("application/problem+json");
    }
}
