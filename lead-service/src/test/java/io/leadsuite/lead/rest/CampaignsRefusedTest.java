package io.leadsuite.lead.rest;

import static io.leadsuite.lead.rest.LeadImportTest.awaitEnd;
import static io.leadsuite.lead.rest.LeadImportTest.upload;
import static io.leadsuite.lead.rest.LeadWorkflowTest.post;
import static io.leadsuite.lead.rest.SalesAcceptanceTest.MARKETING;
import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.IntStream;

import jakarta.inject.Inject;

import org.eclipse.microprofile.reactive.messaging.Channel;
import org.junit.jupiter.api.Test;

import io.leadsuite.contracts.Envelope;
import io.leadsuite.contracts.EventTypes;
import io.leadsuite.contracts.ScoreChanged;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import io.smallrye.reactive.messaging.MutinyEmitter;
import io.vertx.core.json.JsonObject;

/** With {@code leadsuite.campaigns.unknown=REFUSE}, a campaign that is not in the list is refused, naming the field. */
@QuarkusTest
@QuarkusTestResource(FakeContactService.class)
@TestProfile(CampaignsRefusedTest.Refuse.class)
class CampaignsRefusedTest {

    public static class Refuse implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("leadsuite.campaigns.unknown", "REFUSE");
        }
    }

    @Inject
    @Channel("test-score-updates")
    MutinyEmitter<JsonObject> scoreUpdates;

    /**
     * An interaction was accepted by scoring long before lead-service hears of its campaign: an unknown one is left
     * out (not added to the list, as under REGISTER), a known one is touched, and the score counts either way.
     */
    @Test
    void anInteractionNamingAnUnknownCampaignStillScoresAndTouchesOnlyKnownOnes() {
        String run = UUID.randomUUID().toString().substring(0, 8);
        String known = post(MARKETING, "/campaigns", "{\"name\": \"Mailing " + run + "\"}").then().statusCode(201)
                .extract().path("id");
        JsonPath lead = given().auth().oauth2(MARKETING).contentType(ContentType.JSON)
                .body(Map.of("email", "r6." + run + "@example.com", "topic", "boilers-" + run, "source", "EMAIL"))
                .post("/captures").then().statusCode(201).extract().jsonPath();
        String leadId = lead.getString("leadId");
        Instant at = Instant.parse("2026-11-30T10:00:00Z");
        ScoreChanged data = new ScoreChanged(UUID.fromString(leadId), UUID.fromString(lead.getString("contactId")),
                List.of(new ScoreChanged.ModelScore(UUID.randomUUID(), 1, "Default engagement", 60, "B", 50, true)),
                true, "open-" + run, List.of(new ScoreChanged.CampaignTouch("open-" + run, "Nowhere " + run, at),
                        new ScoreChanged.CampaignTouch("click-" + run, "mailing " + run, at)));
        scoreUpdates.sendAndAwait(JsonObject.mapFrom(Envelope.of(EventTypes.SCORE_CHANGED, "scoring-service",
                Instant.now(), UUID.fromString(leadId), 1, data)));
        await().atMost(Duration.ofSeconds(20)).until(() -> given().auth().oauth2(MARKETING).get("/leads/" + leadId)
                .then().extract().jsonPath().getBoolean("salesReady"));
        assertEquals(1, given().auth().oauth2(MARKETING).get("/campaigns/" + known).then().statusCode(200).extract()
                .jsonPath().getInt("results.leads"));
        assertFalse(given().auth().oauth2(MARKETING).get("/campaigns").then().statusCode(200).extract().jsonPath()
                .<String> getList("items.name").contains("Nowhere " + run));
    }

    @Test
    void anUnknownCampaignIsA422ForACaptureAndAFailedLineForAnImport() {
        String run = UUID.randomUUID().toString().substring(0, 8);
        String topic = "boilers-" + run;
        JsonPath problem = given().auth().oauth2(MARKETING).contentType(ContentType.JSON)
                .body(Map.of("email", "r1." + run + "@example.com", "topic", topic, "source", "EVENT", "campaign",
                        "Nowhere " + run))
                .post("/captures").then().statusCode(422).contentType("application/problem+json").extract()
                .jsonPath();
        assertEquals(List.of("campaign"), problem.getList("errors.field"));
        // nothing was written: no lead, and the topic did not join the list either
        assertEquals(List.of(), given().auth().oauth2(MARKETING).get("/leads?topic=" + topic).then().statusCode(200)
                .extract().jsonPath().getList("items"));
        assertEquals(false, given().auth().oauth2(MARKETING).get("/topics").then().extract().jsonPath()
                .<String> getList("items.id").contains(topic));

        // a known one, by name in another case, goes in
        post(MARKETING, "/campaigns", "{\"name\": \"Known " + run + "\"}").then().statusCode(201);
        given().auth().oauth2(MARKETING).contentType(ContentType.JSON)
                .body(Map.of("email", "r2." + run + "@example.com", "topic", topic, "source", "EVENT", "campaign",
                        "KNOWN " + run))
                .post("/captures").then().statusCode(201);

        // an import: the line naming an unknown campaign fails with its field, the others go in
        String jobId = upload("email,topic,campaign\nr3." + run + "@example.com," + topic + ",known " + run + "\n"
                + "r4." + run + "@example.com," + topic + ",Nowhere " + run + "\n"
                + "r5." + run + "@example.com," + topic + ",\n").then().statusCode(202).extract().jsonPath()
                .getString("jobId");
        JsonPath job = awaitEnd(jobId, Duration.ofSeconds(60));
        assertEquals("DONE", job.getString("state"));
        assertEquals(List.of(3, 1, 2), List.of(job.getInt("processed"), job.getInt("failed"),
                job.getInt("leadsCreated")));
        assertEquals(List.of(3), job.getList("errors.line"));
        assertEquals(List.of("campaign: no campaign has this id or name (GET /campaigns); create it with POST "
                + "/campaigns"), job.getList("errors.message"));
        assertEquals(3, given().auth().oauth2(MARKETING).get("/leads?topic=" + topic).then().extract().jsonPath()
                .getList("items").size());
    }

    /**
     * Captures that arrive together are recorded in one transaction; one refused in the middle of such a batch rolls
     * it back, and the others are recorded again one by one: each caller gets the answer to its own capture.
     */
    @Test
    void capturesSentTogetherWithSomeRefusedEachGetTheirOwnAnswer() throws Exception {
        String run = UUID.randomUUID().toString().substring(0, 8);
        String topic = "heat-pumps-" + run;
        ExecutorService clients = Executors.newFixedThreadPool(12);
        try {
            List<Callable<io.restassured.response.Response>> calls = IntStream
                    .range(0, 24).<Callable<io.restassured.response.Response>> mapToObj(
                            i -> () -> given().auth().oauth2(MARKETING)
                                    .contentType(ContentType.JSON)
                                    .body(Map.of("email", "together" + i + "." + run + "@example.com", "topic", topic, "source",
                                            "EVENT", "campaign", i % 3 == 2 ? "Nowhere " + run : ""))
                                    .post("/captures"))
                    .toList();
            Set<String> leads = new HashSet<>();
            List<Future<io.restassured.response.Response>> answers = clients.invokeAll(calls);
            for (int i = 0; i < answers.size(); i++) {
                io.restassured.response.Response answer = answers.get(i).get();
                if (i % 3 == 2) {
                    assertEquals(422, answer.statusCode(), answer.asString());
                    assertEquals(List.of("campaign"), answer.jsonPath().getList("errors.field"));
                } else {
                    assertEquals(201, answer.statusCode(), answer.asString());
                    leads.add(answer.jsonPath().getString("leadId"));
                }
            }
            assertEquals(16, leads.size(), "a lead of its own for every capture accepted");
            List<String> stored = given().auth().oauth2(MARKETING).get("/leads?topic=" + topic + "&limit=100").then()
                    .statusCode(200).extract().jsonPath().getList("items.id");
            assertEquals(leads, new HashSet<>(stored), "exactly the accepted captures' leads were stored");
        } finally {
            clients.shutdownNow();
        }
    }
}
