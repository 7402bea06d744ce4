package io.leadsuite.lead.rest;

import static io.leadsuite.lead.rest.LeadWorkflowTest.lead;
import static io.leadsuite.lead.rest.LeadWorkflowTest.post;
import static io.leadsuite.lead.rest.SalesAcceptanceTest.CRM;
import static io.leadsuite.lead.rest.SalesAcceptanceTest.MARKETING;
import static io.leadsuite.lead.rest.SalesAcceptanceTest.SALES;
import static io.leadsuite.lead.rest.SalesAcceptanceTest.TELESALES;
import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
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
import io.leadsuite.lead.service.campaign.Campaigns;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import io.restassured.path.json.config.JsonPathConfig;
import io.smallrye.reactive.messaging.MutinyEmitter;
import io.vertx.core.json.JsonObject;

/**
 * Campaigns as things that captures name, and the closed-loop report over two campaigns whose leads are made
 * sales-ready, accepted, walked through the sales flow and closed won or lost with revenue. Against PostgreSQL and
 * Artemis.
 */
@QuarkusTest
@QuarkusTestResource(FakeContactService.class)
class CampaignsAndClosedLoopTest {

    private static final UUID MODEL = UUID.fromString("00000000-0000-0000-0000-0000000000dd");

    @Inject
    @Channel("test-score-updates")
    MutinyEmitter<JsonObject> scoreUpdates;

    private static String createCampaign(String body) {
        return post(MARKETING, "/campaigns", body).then().statusCode(201).extract().jsonPath().getString("id");
    }

    /** A capture naming a campaign: the lead's id. */
    private static String capture(String email, String topic, String campaign, int status) {
        return given().auth().oauth2(MARKETING).contentType(ContentType.JSON)
                .body(Map.of("email", email, "topic", topic, "source", "EVENT", "campaign", campaign))
                .post("/captures").then().statusCode(status).extract().jsonPath().getString("leadId");
    }

    private void salesReady(String leadId) {
        JsonPath lead = lead(leadId);
        ScoreChanged data = new ScoreChanged(UUID.fromString(leadId), UUID.fromString(lead.getString("contactId")),
                List.of(new ScoreChanged.ModelScore(MODEL, 1, "Default engagement", 80, "A", 50, true)), true, null);
        scoreUpdates.sendAndAwait(JsonObject.mapFrom(Envelope.of(EventTypes.SCORE_CHANGED, "scoring-service",
                Instant.now(), UUID.fromString(leadId), 1, data)));
        await().atMost(Duration.ofSeconds(20)).until(() -> lead(leadId).getBoolean("salesReady"));
    }

    private static void ok(String token, String path, String body) {
        post(token, path, body).then().statusCode(200);
    }

    private static void move(String leadId, String to) {
        ok(SALES, "/leads/" + leadId + "/transitions", "{\"to\": \"" + to + "\"}");
    }

    private static JsonPath report(String query) {
        return decimals(given().auth().oauth2(MARKETING).get("/reports/closed-loop" + (query.isEmpty() ? "" : "?" + query))
                .then().statusCode(200).contentType(ContentType.JSON).extract().asString());
    }

    /** Decimals as doubles (rest-assured reads them as floats by default). */
    private static JsonPath decimals(String json) {
        return JsonPath.from(json).using(new JsonPathConfig(JsonPathConfig.NumberReturnType.DOUBLE));
    }

    @Test
    void campaignsAreCreatedReadUpdatedAndNamedByCapturesByIdOrName() {
        String run = UUID.randomUUID().toString().substring(0, 8);
        String id = createCampaign("{\"name\": \"Autumn fair " + run + "\", \"channel\": \"EVENT\", "
                + "\"startsOn\": \"2026-10-01\", \"endsOn\": \"2026-10-31\", \"cost\": 2500.50}");
        JsonPath read = given().auth().oauth2(SALES).get("/campaigns/" + id).then().statusCode(200)
                .header("ETag", "\"0\"").extract().jsonPath();
        assertEquals("Autumn fair " + run, read.getString("name"));
        assertEquals("EVENT", read.getString("channel"));
        assertEquals("2026-10-01", read.getString("startsOn"));
        assertEquals("2026-10-31", read.getString("endsOn"));
        assertEquals(2500.5, read.getDouble("cost"));
        assertEquals(0, read.getInt("results.leads"));
        assertTrue(given().auth().oauth2(MARKETING).get("/campaigns").then().statusCode(200).extract().jsonPath()
                .getList("items.id").contains(id));

        // a name in another case is the same campaign: 409 naming it
        post(MARKETING, "/campaigns", "{\"name\": \"AUTUMN FAIR " + run + "\"}").then().statusCode(409)
                .contentType("application/problem+json");
        // bad fields: 422 naming them; bad JSON types: 400
        post(MARKETING, "/campaigns", "{\"name\": \"x" + run + "\", \"startsOn\": \"2026-10-31\", "
                + "\"endsOn\": \"2026-10-01\"}").then().statusCode(422).contentType("application/problem+json");
        post(MARKETING, "/campaigns", "{\"name\": \"\", \"cost\": -1}").then().statusCode(422)
                .contentType("application/problem+json");
        post(MARKETING, "/campaigns", "{\"name\": \"y" + run + "\", \"startsOn\": \"soon\"}").then().statusCode(400)
                .contentType("application/problem+json");
        given().auth().oauth2(MARKETING).get("/campaigns/" + UUID.randomUUID()).then().statusCode(404)
                .contentType("application/problem+json");
        // who may: marketing and admin write, sales reads, telesales and the CRM neither
        post(SALES, "/campaigns", "{\"name\": \"z" + run + "\"}").then().statusCode(403);
        given().auth().oauth2(TELESALES).get("/campaigns").then().statusCode(403);
        given().auth().oauth2(CRM).get("/campaigns/" + id).then().statusCode(403);

        // update with If-Match: the current version works once, then it is stale
        given().auth().oauth2(MARKETING).contentType(ContentType.JSON).header("If-Match", "\"0\"")
                .body("{\"name\": \"Autumn fair " + run + "\", \"channel\": \"TRADE_SHOW\", \"cost\": 3000}")
                .put("/campaigns/" + id).then().statusCode(200).header("ETag", "\"1\"");
        given().auth().oauth2(MARKETING).contentType(ContentType.JSON).header("If-Match", "\"0\"")
                .body("{\"name\": \"Autumn fair " + run + "\"}").put("/campaigns/" + id).then().statusCode(412)
                .contentType("application/problem+json");
        assertEquals("TRADE_SHOW", given().auth().oauth2(MARKETING).get("/campaigns/" + id).then().extract()
                .jsonPath().getString("channel"));

        // captures name it by id or by name in any case; an unknown name joins the list (REGISTER, the default)
        String byId = capture("c1." + run + "@example.com", "kitchens", id, 201);
        String byName = capture("c2." + run + "@example.com", "kitchens", "  autumn FAIR " + run + " ", 201);
        assertEquals(id, lead(byId).getString("campaign"));
        assertEquals(id, lead(byName).getString("campaign"));
        String other = capture("c3." + run + "@example.com", "kitchens", "Door drop " + run, 201);
        String registered = lead(other).getString("campaign");
        assertEquals("Door drop " + run, given().auth().oauth2(MARKETING).get("/campaigns/" + registered).then()
                .extract().jsonPath().getString("name"));
        // the lead list filters by the campaign, by id or by name
        assertEquals(List.of(byId, byName).stream().sorted().toList(),
                given().auth().oauth2(MARKETING).get("/leads?campaign=autumn fair " + run).then().statusCode(200)
                        .extract().jsonPath().<String> getList("items.id").stream().sorted().toList());
        assertEquals(List.of(other), given().auth().oauth2(MARKETING).get("/leads?campaign=" + registered).then()
                .extract().jsonPath().getList("items.id"));
    }

    @Test
    void theClosedLoopReportOfTwoCampaignsWithRevenue() {
        String run = UUID.randomUUID().toString().substring(0, 8);
        Instant from = Instant.now().minusSeconds(1);
        String expo = "Spring expo " + run;
        // a name a spreadsheet would take for a formula: the CSV neutralises it
        String webinar = "=Webinar " + run;
        String expoId = createCampaign("{\"name\": \"" + expo + "\", \"channel\": \"EVENT\", \"cost\": 4000}");
        String webinarId = createCampaign("{\"name\": \"" + webinar + "\", \"channel\": \"EMAIL\", \"cost\": 800}");
        String topic = "heat-pumps-" + run;

        // the expo: won with 5000 (estimated 6000), an opportunity still open (3000), lost, disqualified
        String a1 = capture("a1." + run + "@example.com", topic, expo, 201);
        String a2 = capture("a2." + run + "@example.com", topic, expo, 201);
        String a3 = capture("a3." + run + "@example.com", topic, expoId, 201);
        String a4 = capture("a4." + run + "@example.com", topic, expo.toUpperCase(), 201);
        for (String lead : List.of(a1, a2, a3)) {
            salesReady(lead);
            ok(SALES, "/leads/" + lead + "/accept", "{}");
        }
        ok(CRM, "/crm/leads/" + a1 + "/opportunity", "{\"opportunityId\": \"opp-a1-" + run
                + "\", \"estimatedRevenue\": 6000}");
        move(a1, "PROPOSE");
        ok(CRM, "/crm/leads/" + a1 + "/close", "{\"outcome\": \"WON\", \"revenue\": 5000}");
        move(a2, "DEVELOP");
        ok(CRM, "/crm/leads/" + a2 + "/opportunity", "{\"opportunityId\": \"opp-a2-" + run
                + "\", \"estimatedRevenue\": 3000}");
        ok(CRM, "/crm/leads/" + a3 + "/close", "{\"outcome\": \"LOST\", \"reason\": \"went elsewhere\"}");
        ok(TELESALES, "/leads/" + a4 + "/disqualify", "{\"reason\": \"no budget\"}");

        // the webinar: accepted by the CRM and won with 12000.50; another rejected by the CRM
        String b1 = capture("b1." + run + "@example.com", topic, webinar, 201);
        String b2 = capture("b2." + run + "@example.com", topic, webinarId, 201);
        for (String lead : List.of(b1, b2)) {
            salesReady(lead);
            ok(CRM, "/crm/leads/" + lead + "/accept", "{\"crmLeadId\": \"crm-" + lead + "\"}");
        }
        // the expo touches the webinar's lead later: its revenue is the expo's influence, not its source
        assertEquals(b1, capture("b1." + run + "@example.com", topic, expo, 200));
        ok(CRM, "/crm/leads/" + b1 + "/opportunity", "{\"opportunityId\": \"opp-b1-" + run
                + "\", \"estimatedRevenue\": 10000}");
        ok(CRM, "/crm/leads/" + b1 + "/close", "{\"outcome\": \"WON\", \"revenue\": 12000.50}");
        ok(CRM, "/crm/leads/" + b2 + "/reject", "{\"reason\": \"duplicate in CRM\"}");
        Instant to = Instant.now().plusSeconds(1);

        JsonPath report = report("by=campaign&from=" + from + "&to=" + to);
        assertEquals("campaign", report.getString("by"));
        Map<String, Object> a = row(report, expo);
        Map<String, Object> b = row(report, webinar);
        assertFigures(a, 4, 3, 3, 2, 2, 1, 1, 3000.0, 5000.0);
        assertFigures(b, 2, 2, 2, 1, 1, 1, 0, 0.0, 12000.5);
        assertEquals(Map.of("leadToMql", 0.75, "mqlToSal", 1.0, "salToSql", 0.6667, "sqlToOpportunity", 1.0,
                "opportunityToWon", 0.5, "leadToWon", 0.25), a.get("conversion"));
        assertEquals(Map.of("leadToMql", 1.0, "mqlToSal", 1.0, "salToSql", 0.5, "sqlToOpportunity", 1.0,
                "opportunityToWon", 1.0, "leadToWon", 0.5), b.get("conversion"));
        // every step was taken within seconds: a median of 0.0 days each, measured (null would mean none took it)
        Map<String, Object> zeroDays = Map.of("lead", 0.0, "mql", 0.0, "sal", 0.0, "sql", 0.0, "opportunity", 0.0);
        assertEquals(zeroDays, a.get("medianDaysInStage"));
        assertEquals(zeroDays, b.get("medianDaysInStage"));
        assertEquals(List.of(1, 0, 0, 0.0), List.of(a.get("disqualified"), a.get("rejected"), a.get("slaBreached"),
                a.get("slaBreachRate")));
        assertEquals(List.of(0, 1, 0, 0.0), List.of(b.get("disqualified"), b.get("rejected"), b.get("slaBreached"),
                b.get("slaBreachRate")));
        // open now: the expo's open opportunity; the webinar's rejected lead, back in nurturing
        Map<String, Object> openOne = Map.of("open", 1, "medianDays", 0.0, "upTo7Days", 1, "upTo30Days", 0,
                "upTo90Days", 0, "over90Days", 0);
        assertEquals(openOne, a.get("ageing"));
        assertEquals(openOne, b.get("ageing"));
        assertEquals(List.of(Map.of("key", expo, "reason", "no budget", "count", 1)),
                reasons(report, "disqualificationReasons", expo));
        assertEquals(List.of(Map.of("key", webinar, "reason", "duplicate in CRM", "count", 1)),
                reasons(report, "rejectionReasons", webinar));

        // the same rows as CSV, the formula-like key quoted
        String csv = given().auth().oauth2(SALES).accept("text/csv").get("/reports/closed-loop?by=campaign&from="
                + from + "&to=" + to).then().statusCode(200).contentType("text/csv").extract().asString();
        List<String> lines = List.of(csv.split("\r\n"));
        assertEquals(String.join(",", ReportResource.CSV_HEADER), lines.get(0));
        assertTrue(lines.contains(expo + ",4,3,3,2,2,1,1,3000.00,5000.00,0.75,1.0,0.6667,1.0,0.5,0.25,"
                + "0.0,0.0,0.0,0.0,0.0,1,0,0,0.0,1,0.0,1,0,0,0"), csv);
        assertTrue(lines.contains("'" + webinar + ",2,2,2,1,1,1,0,0.00,12000.50,1.0,1.0,0.5,1.0,1.0,0.5,"
                + "0.0,0.0,0.0,0.0,0.0,0,1,0,0.0,1,0.0,1,0,0,0"), csv);
        assertEquals(report.getList("rows").size() + 1, lines.size());
        System.out.printf("[closed-loop] by campaign, %s to %s:%n%s%n[closed-loop] as CSV:%n%s%n", from, to,
                new JsonObject().put("by", "campaign").put("rows", List.of(a, b))
                        .put("disqualificationReasons", reasons(report, "disqualificationReasons", expo))
                        .put("rejectionReasons", reasons(report, "rejectionReasons", webinar)).encodePrettily(),
                String.join("\n", lines.stream().filter(l -> l.startsWith("key,") || l.startsWith(expo + ",")
                        || l.startsWith("'" + webinar + ",")).toList()));

        // by topic: the run's topic holds all six leads
        Map<String, Object> byTopic = row(report("by=topic&from=" + from + "&to=" + to), topic);
        assertFigures(byTopic, 6, 5, 5, 3, 3, 2, 1, 3000.0, 17000.5);

        // the campaigns' own results: members, leads, sourced and influenced revenue
        JsonPath expoRead = decimals(given().auth().oauth2(MARKETING).get("/campaigns/" + expoId).then()
                .statusCode(200).extract().asString());
        assertEquals(Map.of("members", 5, "leads", 5, "sourcedLeads", 4, "wonLeads", 2, "sourcedRevenue", 5000.0,
                "influencedRevenue", 17000.5, "pipelineRevenue", 3000.0), expoRead.getMap("results"));
        JsonPath webinarRead = decimals(given().auth().oauth2(MARKETING).get("/campaigns/" + webinarId).then()
                .statusCode(200).extract().asString());
        assertEquals(Map.of("members", 2, "leads", 2, "sourcedLeads", 2, "wonLeads", 1, "sourcedRevenue", 12000.5,
                "influencedRevenue", 12000.5, "pipelineRevenue", 0.0), webinarRead.getMap("results"));
    }

    /** A score.changed as scoring publishes it: the lead's score of 80 under one model, and campaign touches. */
    private void scoreChanged(String leadId, long sequence, ScoreChanged.CampaignTouch... touches) {
        JsonPath lead = lead(leadId);
        ScoreChanged data = new ScoreChanged(UUID.fromString(leadId), UUID.fromString(lead.getString("contactId")),
                List.of(new ScoreChanged.ModelScore(MODEL, 1, "Default engagement", 80, "A", 50, true)), true, null,
                List.of(touches));
        scoreUpdates.sendAndAwait(JsonObject.mapFrom(Envelope.of(EventTypes.SCORE_CHANGED, "scoring-service",
                Instant.now(), UUID.fromString(leadId), sequence, data)));
    }

    private static Map<String, Object> results(String campaignId) {
        return decimals(given().auth().oauth2(MARKETING).get("/campaigns/" + campaignId).then().statusCode(200)
                .extract().asString()).getMap("results");
    }

    private static List<Object> history(String leadId) {
        return given().auth().oauth2(MARKETING).get("/leads/" + leadId + "/history?limit=200").then().statusCode(200)
                .extract().jsonPath().getList("items");
    }

    private static String campaignNamed(String name) {
        return given().auth().oauth2(MARKETING).get("/campaigns").then().statusCode(200).extract().jsonPath()
                .getString("items.find { it.name == '" + name + "' }.id");
    }

    /**
     * Interactions that name a campaign (scoring passes them on in score.changed) touch it: by name in any case or by
     * id, a stale snapshot's touches count too, a repeated touch changes nothing, and the campaign's results count the
     * lead, its contact and its won revenue as influenced. A name that is not in the list touches nothing and does not
     * join it (an interaction's attributes are a tracking system's free text), and the update applies as ever.
     */
    @Test
    void interactionsNamingACampaignTouchItAndItsResultsCountTheLead() {
        String run = UUID.randomUUID().toString().substring(0, 8);
        String newsletter = "Newsletter " + run;
        String newsletterId = createCampaign("{\"name\": \"" + newsletter + "\", \"channel\": \"EMAIL\"}");
        String fair = createCampaign("{\"name\": \"Fair " + run + "\"}");
        String leadId = capture("i1." + run + "@example.com", "boilers-" + run, fair, 201);
        Instant clicked = Instant.parse("2026-11-30T10:00:00Z");

        // sales-ready by interactions that named the newsletter (in another case) and a campaign not in the list
        scoreChanged(leadId, 1, new ScoreChanged.CampaignTouch("click-" + run, newsletter.toUpperCase(), clicked),
                new ScoreChanged.CampaignTouch("visit-" + run, " Retargeting " + run + " ", clicked));
        await().atMost(Duration.ofSeconds(20)).until(() -> lead(leadId).getBoolean("salesReady"));
        assertEquals(Map.of("members", 1, "leads", 1, "sourcedLeads", 0, "wonLeads", 0, "sourcedRevenue", 0.0,
                "influencedRevenue", 0.0, "pipelineRevenue", 0.0), results(newsletterId));
        assertNull(campaignNamed("Retargeting " + run), "an interaction adds no campaign to the list");
        // the lead keeps the campaign it came from
        assertEquals(fair, lead(leadId).getString("campaign"));

        // the same touches again (a repeat in a later update) and a stale update naming a third campaign by id
        List<Object> history = history(leadId);
        String webinar = createCampaign("{\"name\": \"Webinar " + run + "\"}");
        scoreChanged(leadId, 2, new ScoreChanged.CampaignTouch("click-" + run, newsletter, clicked));
        scoreChanged(leadId, 1, new ScoreChanged.CampaignTouch("watch-" + run, webinar, clicked));
        await().atMost(Duration.ofSeconds(20)).until(() -> ((Number) results(webinar).get("leads")).intValue() == 1);
        // the snapshot with the standings the lead had moved nothing
        assertEquals(history, history(leadId));
        assertEquals(Map.of("members", 1, "leads", 1, "sourcedLeads", 0, "wonLeads", 0, "sourcedRevenue", 0.0,
                "influencedRevenue", 0.0, "pipelineRevenue", 0.0), results(newsletterId));

        // won: the revenue is the newsletter's influence, the fair's source
        ok(SALES, "/leads/" + leadId + "/accept", "{}");
        ok(CRM, "/crm/leads/" + leadId + "/close", "{\"outcome\": \"WON\", \"revenue\": 7500}");
        assertEquals(Map.of("members", 1, "leads", 1, "sourcedLeads", 0, "wonLeads", 1, "sourcedRevenue", 0.0,
                "influencedRevenue", 7500.0, "pipelineRevenue", 0.0), results(newsletterId));
        assertEquals(7500.0, ((Number) results(fair).get("sourcedRevenue")).doubleValue());
    }

    /**
     * Sales-qualified in whichever flow: in the built-in {@code funnel} a lead accepted into SALES_ACCEPTED and moved on
     * to SALES_QUALIFIED is an SQL, and its OPPORTUNITY stage an opportunity; a lead rejected back to LEAD is neither.
     */
    @Test
    void theReportCountsSalesQualifiedLeadsOfTheFunnelFlow() {
        String run = UUID.randomUUID().toString().substring(0, 8);
        String topic = "funnel-" + run;
        Instant from = Instant.now().minusSeconds(1);
        String contactId = lead(capture("f0." + run + "@example.com", "kitchens", "Funnel fair " + run, 201))
                .getString("contactId");
        List<String> leads = new java.util.ArrayList<>();
        for (String t : List.of(topic, topic + "-b")) {
            leads.add(post(MARKETING, "/leads", "{\"contactId\": \"" + contactId + "\", \"topic\": \"" + t
                    + "\", \"source\": \"MANUAL\", \"flow\": \"funnel\"}").then().statusCode(201).extract()
                    .path("id"));
        }
        String qualified = leads.get(0);
        String rejected = leads.get(1);
        for (String lead : leads) {
            salesReady(lead);
            ok(SALES, "/leads/" + lead + "/accept", "{}");
            assertEquals("SALES_ACCEPTED", lead(lead).getString("stage"));
        }
        given().auth().oauth2(SALES).contentType("application/merge-patch+json")
                .body("{\"qualification\": {\"budget\": 9000, \"currency\": \"EUR\", "
                        + "\"need\": \"A new kitchen\"}}")
                .patch("/leads/" + qualified).then().statusCode(200);
        move(qualified, "SALES_QUALIFIED");
        move(qualified, "OPPORTUNITY");
        ok(CRM, "/crm/leads/" + qualified + "/close", "{\"outcome\": \"WON\", \"revenue\": 9000}");
        ok(CRM, "/crm/leads/" + rejected + "/reject", "{\"reason\": \"no answer\"}");
        assertEquals("LEAD", lead(rejected).getString("stage"));

        JsonPath report = report("by=topic&from=" + from + "&to=" + Instant.now().plusSeconds(1));
        assertFigures(row(report, topic), 1, 1, 1, 1, 1, 1, 0, 0.0, 9000.0);
        assertFigures(row(report, topic + "-b"), 1, 1, 1, 0, 0, 0, 0, 0.0, 0.0);
    }

    @Test
    void badReportParametersAre400AndOnlyMarketingSalesAndAdminMayReadIt() {
        for (String query : List.of("by=colour", "from=2026-12-01T00:00:00Z&to=2026-11-01T00:00:00Z", "from=yesterday",
                "to=2026-13-01")) {
            given().auth().oauth2(MARKETING).get("/reports/closed-loop?" + query).then().statusCode(400)
                    .contentType("application/problem+json");
            given().auth().oauth2(MARKETING).accept("text/csv").get("/reports/closed-loop?" + query).then()
                    .statusCode(400).contentType("application/problem+json");
        }
        given().auth().oauth2(TELESALES).get("/reports/closed-loop").then().statusCode(403);
        given().auth().oauth2(CRM).get("/reports/closed-loop").then().statusCode(403);
        // defaults: by source over the last 30 days
        JsonPath report = report("");
        assertEquals("source", report.getString("by"));
        assertNotNull(report.getString("from"));
        assertNull(report.get("rows.find { it.leads == 0 }"), "a row has leads");
    }

    private static Map<String, Object> row(JsonPath report, String key) {
        List<Map<String, Object>> rows = report.getList("rows");
        return rows.stream().filter(r -> key.equals(r.get("key"))).findFirst()
                .orElseThrow(() -> new AssertionError("no row " + key + " in " + rows));
    }

    private static List<Map<String, Object>> reasons(JsonPath report, String list, String key) {
        List<Map<String, Object>> all = report.getList(list);
        return all.stream().filter(r -> key.equals(r.get("key"))).toList();
    }

    private static void assertFigures(Map<String, Object> row, int leads, int mql, int sal, int sql,
            int opportunities, int won, int lost, double pipelineRevenue, double wonRevenue) {
        assertEquals(List.of(leads, mql, sal, sql, opportunities, won, lost),
                List.of(row.get("leads"), row.get("mql"), row.get("sal"), row.get("sql"), row.get("opportunities"),
                        row.get("won"), row.get("lost")),
                row.toString());
        assertEquals(pipelineRevenue, ((Number) row.get("pipelineRevenue")).doubleValue(), row.toString());
        assertEquals(wonRevenue, ((Number) row.get("wonRevenue")).doubleValue(), row.toString());
    }
}
