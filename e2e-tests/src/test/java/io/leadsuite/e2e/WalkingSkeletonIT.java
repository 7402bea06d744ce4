package io.leadsuite.e2e;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.hasItem;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.RegisterExtension;

import io.leadsuite.kit.testing.TestTokens;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import io.restassured.specification.RequestSpecification;

/**
 * The suite as separate processes, driven only as a frontend (through the gateway) and a CRM (lead-service's CRM
 * route) would: a capture and interactions make a lead sales-ready; with lead-service killed mid-stream, nothing is
 * lost and nothing counts twice.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class WalkingSkeletonIT {

    @RegisterExtension
    static final SuiteExtension SUITE = new SuiteExtension();

    private static final String MARKETING = TestTokens.forRoles("marketing");
    private static final String CRM = TestTokens.forRoles("crm");

    private static RequestSpecification gateway(String token) {
        return given().baseUri("http://localhost:" + Suite.GATEWAY).auth().oauth2(token)
                .contentType(ContentType.JSON);
    }

    private static String capture(String email, String topic) {
        return Captures.post(() -> gateway(MARKETING), Map.of("email", email, "firstName", "Ana", "lastName", "Silva",
                "company", "Acme", "topic", topic, "source", "MARKETING_FORM", "sourceRef", "form-42", "consent", true))
                .then().statusCode(201).extract().path("leadId");
    }

    private static JsonPath lead(String leadId) {
        return gateway(MARKETING).get("/api/leads/" + leadId).then().statusCode(200).extract().jsonPath();
    }

    private static int leadScore(String leadId) {
        JsonPath lead = lead(leadId);
        return lead.getList("scores").isEmpty() ? Integer.MIN_VALUE : lead.getInt("scores[0].score");
    }

    private static Map<String, Object> interaction(String contactId, String type) {
        Map<String, Object> item = new LinkedHashMap<>();
        item.put("id", UUID.randomUUID().toString());
        item.put("type", type);
        item.put("contactId", contactId);
        item.put("occurredAt", Instant.now().toString());
        item.put("attributes", Map.of("campaign", "e2e"));
        return item;
    }

    @Test
    @Order(0)
    void everyServiceIsHealthyAndDescribesItsApi() {
        for (int port : new int[] { Suite.CONTACT, Suite.LEAD, Suite.SCORING, Suite.GATEWAY }) {
            given().baseUri("http://localhost:" + port).get("/q/health/live").then().statusCode(200);
            given().baseUri("http://localhost:" + port).get("/q/health/ready").then().statusCode(200);
            given().baseUri("http://localhost:" + port).get("/q/openapi?format=json").then().statusCode(200)
                    .body("openapi", org.hamcrest.Matchers.startsWith("3."));
            given().baseUri("http://localhost:" + port).get("/q/metrics").then().statusCode(200);
        }
        given().baseUri("http://localhost:" + Suite.LEAD).get("/q/openapi?format=json").then()
                .body("paths.keySet()", org.hamcrest.Matchers.hasItems("/captures", "/leads/{id}",
                        "/leads/{id}/history", "/crm/leads/sales-ready"));
        given().baseUri("http://localhost:" + Suite.SCORING).get("/q/openapi?format=json").then()
                .body("paths.keySet()", org.hamcrest.Matchers.hasItems("/interactions", "/leads/{id}/scores"));
        gateway(MARKETING).header("X-Request-Id", "e2e-request-1").get("/api/flows").then().statusCode(200)
                .header("X-Request-Id", "e2e-request-1")
                .body("id", hasItem("marketing-lead"));
    }

    @Test
    @Order(1)
    void aCaptureAndInteractionsMakeASalesReadyLeadTheCrmSees() {
        String email = "ana." + UUID.randomUUID() + "@example.com";
        String leadId = capture(email, "solar-panels");
        String contactId = lead(leadId).getString("contactId");

        // the capture counts as FORM_SUBMITTED: scoring-service scores it and lead-service starts qualification
        await().atMost(Duration.ofSeconds(15)).until(() -> leadScore(leadId) > 0);
        int afterCapture = leadScore(leadId);
        assertEquals("AUTOMATED_MARKETING_QUALIFICATION", lead(leadId).getString("stage"));

        // EMAIL_CLICKED until the default model's threshold is reached
        ScoringModel model = ScoringModel.published(gateway(MARKETING));
        int clicks = model.interactionsToReach("EMAIL_CLICKED", model.threshold - afterCapture);
        List<Map<String, Object>> batch = new ArrayList<>();
        for (int i = 0; i < clicks; i++) {
            batch.add(interaction(contactId, "EMAIL_CLICKED"));
        }
        gateway(MARKETING).body(batch).post("/api/interactions").then().statusCode(202);
        long accepted = System.nanoTime();
        await().atMost(Duration.ofSeconds(15)).pollInterval(Duration.ofMillis(20))
                .until(() -> lead(leadId).getBoolean("salesReady"));
        System.out.printf("[e2e] sales-ready visible through the gateway %d ms after the interactions were accepted%n",
                Duration.ofNanos(System.nanoTime() - accepted).toMillis());

        JsonPath ready = lead(leadId);
        assertEquals("SCORE", ready.getString("salesReadyBy"));
        assertEquals("TELEPROSPECTING_ACCEPTANCE", ready.getString("stage"));
        assertTrue(ready.getInt("scores[0].score") >= model.threshold);

        JsonPath history = gateway(MARKETING).get("/api/leads/" + leadId + "/history").then().statusCode(200)
                .extract().jsonPath();
        List<Map<String, Object>> entries = history.getList("items");
        assertTrue(entries.stream().anyMatch(e -> "STAGE_CHANGED".equals(e.get("kind"))
                && "AUTOMATED_MARKETING_QUALIFICATION".equals(e.get("from"))
                && "TELEPROSPECTING_ACCEPTANCE".equals(e.get("to")) && "SCORE".equals(e.get("cause"))
                && e.get("at") != null), () -> "history: " + entries);

        // a repeated batch (same ids) counts nothing twice
        gateway(MARKETING).body(batch).post("/api/interactions").then().statusCode(202);
        int score = ready.getInt("scores[0].score");
        assertEquals(score, gateway(MARKETING).get("/api/leads/" + leadId + "/scores").then().statusCode(200)
                .extract().jsonPath().getInt("[0].score"));

        // the CRM, on lead-service directly and through the gateway
        List<Map<String, Object>> feed = SalesReadyFeed.all(
                () -> given().baseUri("http://localhost:" + Suite.LEAD).auth().oauth2(CRM), "/crm/leads/sales-ready");
        assertTrue(feed.stream().anyMatch(i -> leadId.equals(((Map<?, ?>) i.get("lead")).get("id"))
                && email.equals(((Map<?, ?>) i.get("contact")).get("email"))), () -> "feed: " + feed.size() + " items");
        assertTrue(SalesReadyFeed.leadIds(() -> gateway(CRM), "/api/crm/leads/sales-ready").contains(leadId));
        gateway(MARKETING).get("/api/crm/leads/sales-ready").then().statusCode(403);
        given().baseUri("http://localhost:" + Suite.GATEWAY).get("/api/leads/" + leadId).then().statusCode(401);
    }

    @Test
    @Order(2)
    void withLeadServiceKilledMidStreamNoScoreUpdateIsLostOrAppliedTwice() throws Exception {
        String leadId = capture("kill." + UUID.randomUUID() + "@example.com", "heat-pumps");
        String contactId = lead(leadId).getString("contactId");
        await().atMost(Duration.ofSeconds(15)).until(() -> leadScore(leadId) > 0);

        ScoringModel model = ScoringModel.published(gateway(MARKETING));
        Map<String, Integer> plan = new LinkedHashMap<>();
        plan.put("EMAIL_OPENED", 12);
        plan.put("EMAIL_CLICKED", 12);
        plan.put("PAGE_VISITED", 10);
        plan.put("EVENT_REGISTERED", 3);
        List<Map<String, Object>> interactions = new ArrayList<>();
        plan.forEach((type, count) -> {
            for (int i = 0; i < count; i++) {
                interactions.add(interaction(contactId, type));
            }
        });
        java.util.Collections.shuffle(interactions, new java.util.Random(42));

        AtomicInteger sent = new AtomicInteger();
        Thread sender = new Thread(() -> {
            for (Map<String, Object> item : interactions) {
                gateway(MARKETING).body(item).post("/api/interactions").then().statusCode(202);
                // every fifth one is sent twice, as a retrying client would
                if (sent.incrementAndGet() % 5 == 0) {
                    gateway(MARKETING).body(item).post("/api/interactions").then().statusCode(202);
                }
                try {
                    Thread.sleep(40);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
        });
        sender.start();
        await().atMost(Duration.ofSeconds(30)).until(() -> sent.get() >= interactions.size() / 3);
        SUITE.suite().kill("lead-service");
        System.out.printf("[e2e] lead-service killed (SIGKILL) after %d of %d interactions%n", sent.get(),
                interactions.size());
        Thread.sleep(1500);
        SUITE.suite().start("lead-service");
        System.out.printf("[e2e] lead-service restarted after %d interactions%n", sent.get());
        sender.join(Duration.ofSeconds(60).toMillis());

        int expected = model.pointsFor("FORM_SUBMITTED", 1);
        for (Map.Entry<String, Integer> step : plan.entrySet()) {
            expected += model.pointsFor(step.getKey(), step.getValue());
        }
        int expectedScore = expected;
        JsonPath explanation = gateway(MARKETING)
                .get("/api/leads/" + leadId + "/scores/" + model.id + "/explanation").then().statusCode(200)
                .extract().jsonPath();
        await().atMost(Duration.ofSeconds(30)).until(() -> leadScore(leadId) == expectedScore);
        int scoring = gateway(MARKETING).get("/api/leads/" + leadId + "/scores").then().statusCode(200).extract()
                .jsonPath().getInt("[0].score");
        List<Integer> hits = gateway(MARKETING)
                .get("/api/leads/" + leadId + "/scores/" + model.id + "/explanation").then().statusCode(200)
                .extract().jsonPath().getList("hits.points", Integer.class);
        int sumOfHits = hits.stream().mapToInt(Integer::intValue).sum();
        System.out.printf("[e2e] after the kill: expected %d, scoring-service %d, sum of rule hits %d, lead-service %d%n",
                expectedScore, scoring, sumOfHits, leadScore(leadId));
        assertEquals(expectedScore, scoring);
        assertEquals(expectedScore, sumOfHits);
        assertEquals(expectedScore, leadScore(leadId));
        assertTrue(explanation.getList("hits").size() > 0);
    }
}
