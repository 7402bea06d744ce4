package io.leadsuite.lead.rest;

import static io.leadsuite.lead.rest.LeadImportTest.awaitEnd;
import static io.leadsuite.lead.rest.LeadImportTest.upload;
import static io.leadsuite.lead.rest.LeadWorkflowTest.lead;
import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import jakarta.inject.Inject;

import org.eclipse.microprofile.reactive.messaging.Channel;
import org.junit.jupiter.api.Test;

import io.leadsuite.contracts.Envelope;
import io.leadsuite.contracts.EventTypes;
import io.leadsuite.contracts.ScoreChanged;
import io.leadsuite.kit.testing.TestTokens;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import io.smallrye.reactive.messaging.MutinyEmitter;
import io.vertx.core.json.JsonObject;
import io.vertx.mutiny.sqlclient.Pool;

/** The lead list as a work queue: filters by owner, grade, score, source, campaign and dates; sorts; paging. */
@QuarkusTest
@QuarkusTestResource(FakeContactService.class)
class WorkQueueTest {

    static final String MARKETING = TestTokens.forRoles("marketing");
    static final String ADMIN = TestTokens.forRoles("admin");
    private static final UUID MODEL = UUID.fromString("00000000-0000-0000-0000-0000000000dd");

    @Inject
    Pool pool;

    @Inject
    @Channel("test-score-updates")
    MutinyEmitter<JsonObject> scoreUpdates;

    private String capture(String email, String topic, String source) {
        return given().auth().oauth2(MARKETING).contentType(ContentType.JSON)
                .body("{\"email\": \"" + email + "\", \"topic\": \"" + topic + "\", \"source\": \"" + source + "\"}")
                .post("/captures").then().statusCode(201).extract().path("leadId");
    }

    private void score(String leadId, int points, String grade) {
        String contactId = lead(leadId).getString("contactId");
        ScoreChanged data = new ScoreChanged(UUID.fromString(leadId), UUID.fromString(contactId),
                List.of(new ScoreChanged.ModelScore(MODEL, 1, "Default engagement", points, grade, 50, points >= 50)),
                points >= 50, null);
        scoreUpdates.sendAndAwait(JsonObject.mapFrom(Envelope.of(EventTypes.SCORE_CHANGED, "scoring-service",
                Instant.now(), UUID.fromString(leadId), 1, data)));
        await().atMost(Duration.ofSeconds(20)).until(() -> !lead(leadId).getList("scores").isEmpty());
    }

    private static List<String> ids(String query) {
        return given().auth().oauth2(MARKETING).get("/leads?limit=200&" + query).then().statusCode(200).extract()
                .jsonPath().getList("items.id");
    }

    /** Every page of a query, one lead a page, following the cursors. */
    private static List<String> walk(String query) {
        List<String> all = new ArrayList<>();
        String after = null;
        do {
            JsonPath page = given().auth().oauth2(MARKETING)
                    .get("/leads?limit=1&" + query + (after == null ? "" : "&after=" + after)).then().statusCode(200)
                    .extract().jsonPath();
            all.addAll(page.getList("items.id"));
            after = page.getString("next");
        } while (after != null);
        return all;
    }

    @Test
    void theLeadListFiltersAndSortsLikeAWorkQueue() {
        String run = UUID.randomUUID().toString().substring(0, 8);
        String topic = "queue-" + run;
        String a = capture("a." + run + "@example.com", topic, "MARKETING_FORM");
        String b = capture("b." + run + "@example.com", topic, "EVENT");
        String c = capture("c." + run + "@example.com", topic, "MARKETING_FORM");
        String jobId = upload("email,topic,campaign\nd." + run + "@example.com," + topic + ",camp-" + run + "\n")
                .then().statusCode(202).extract().path("jobId");
        assertEquals("DONE", awaitEnd(jobId, Duration.ofSeconds(30)).getString("state"));
        String d = ids("topic=" + topic + "&campaign=camp-" + run).get(0);
        score(a, 70, "A");
        score(b, 30, "C");
        given().auth().oauth2(MARKETING).contentType("application/merge-patch+json").body("{\"owner\": \"tina-" + run + "\"}")
                .patch("/leads/" + c).then().statusCode(200);

        String t = "topic=" + topic;
        assertEquals(List.of(a), ids(t + "&grade=A"));
        assertEquals(List.of(a), ids(t + "&minScore=50"));
        assertEquals(List.of(b), ids(t + "&maxScore=40"));
        assertEquals(List.of(b), ids(t + "&source=EVENT"));
        assertEquals(List.of(d), ids(t + "&source=IMPORT&campaign=camp-" + run));
        assertEquals(List.of(c), ids("owner=tina-" + run));
        assertEquals(List.of(a, b), ids(t + "&minScore=20&maxScore=80&sort=-score"));
        assertEquals(List.of(a, b), walk(t + "&minScore=0&sort=-score"));
        assertEquals(List.of(b, a), walk(t + "&minScore=0&sort=score"));
        assertEquals(List.of(a, b, c, d), walk(t + "&sort=createdAt"));
        assertEquals(List.of(d, c, b, a), walk(t + "&sort=-createdAt"));
        List<String> byScore = walk(t + "&sort=-score");
        assertEquals(List.of(a, b), byScore.subList(0, 2), "unscored leads come last: " + byScore);

        String bCreated = lead(b).getString("createdAt");
        String cCreated = lead(c).getString("createdAt");
        assertEquals(List.of(b), ids(t + "&createdFrom=" + bCreated + "&createdTo=" + cCreated + "&sort=createdAt"));
        String cActive = lead(c).getString("updatedAt");
        assertEquals(List.of(c), ids(t + "&owner=tina-" + run + "&activeFrom=" + cActive));
        assertEquals(List.of(), ids(t + "&activeTo=" + Instant.parse(lead(a).getString("createdAt"))));

        // SLA due: a flow whose first stage has an SLA
        String flowId = "queue-" + run;
        given().auth().oauth2(ADMIN).contentType(ContentType.JSON).body("""
                {"name": "Queue", "teleprospecting": false,
                 "stages": [{"id": "CALL_BACK", "name": "Call back", "team": "sales", "slaHours": 1},
                            {"id": "DONE", "name": "Done", "team": "sales"}],
                 "transitions": [{"from": "CALL_BACK", "to": "DONE", "teams": ["sales"]}]}""")
                .put("/flows/" + flowId).then().statusCode(200);
        String contactId = lead(a).getString("contactId");
        List<String> due = new ArrayList<>();
        for (String dueTopic : List.of("first-" + run, "second-" + run)) {
            due.add(given().auth().oauth2(MARKETING).contentType(ContentType.JSON)
                    .body("{\"contactId\": \"" + contactId + "\", \"topic\": \"" + dueTopic + "\", \"source\": "
                            + "\"MANUAL\", \"flow\": \"" + flowId + "\"}")
                    .post("/leads").then().statusCode(201).extract().path("id"));
        }
        assertEquals(List.of(due.get(0), due.get(1), a), walk("contactId=" + contactId + "&sort=slaDue"));

        // what cannot be read is a 400 problem
        for (String bad : List.of("sort=age", "minScore=high", "createdFrom=yesterday", "source=FAX",
                "minScore=9&maxScore=1", "sort=score&after=not-a-cursor", "activeTo=2026-13-01")) {
            given().auth().oauth2(MARKETING).get("/leads?" + bad).then().statusCode(400)
                    .contentType("application/problem+json");
        }
    }

    /**
     * The services keep prepared statements per connection. A column added to the lead table while the service runs
     * (another replica's migration during a rolling deploy) must leave the list working on connections that ran it
     * before: a kept "select l.*" would fail there with "cached plan must not change result type".
     */
    @Test
    void aColumnAddedToLeadsUnderTheRunningServiceLeavesTheListWorking() {
        String lead = capture("kept-" + UUID.randomUUID() + "@example.com", "solar-panels", "MARKETING_FORM");
        String contactId = lead(lead).getString("contactId");
        for (int i = 0; i < 40; i++) {
            assertEquals(List.of(lead), ids("contactId=" + contactId));
            assertEquals(List.of(lead), ids("contactId=" + contactId + "&sort=slaDue"));
        }
        pool.query("alter table lead add column kept_statement_probe text").execute().await().indefinitely();
        try {
            for (int i = 0; i < 40; i++) {
                assertEquals(List.of(lead), ids("contactId=" + contactId));
                assertEquals(List.of(lead), ids("contactId=" + contactId + "&sort=slaDue"));
            }
        } finally {
            pool.query("alter table lead drop column kept_statement_probe").execute().await().indefinitely();
        }
    }
}
