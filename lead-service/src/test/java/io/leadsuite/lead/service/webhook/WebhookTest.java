package io.leadsuite.lead.service.webhook;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;

import jakarta.inject.Inject;

import org.eclipse.microprofile.reactive.messaging.Channel;
import org.junit.jupiter.api.Test;

import io.leadsuite.contracts.Envelope;
import io.leadsuite.contracts.EventTypes;
import io.leadsuite.contracts.ScoreChanged;
import io.leadsuite.kit.testing.TestTokens;
import io.leadsuite.lead.rest.FakeContactService;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import io.smallrye.reactive.messaging.MutinyEmitter;
import io.vertx.core.json.JsonObject;
import io.vertx.mutiny.pgclient.PgConnection;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Tuple;

@QuarkusTest
@QuarkusTestResource(FakeContactService.class)
class WebhookTest {

    private static final String CRM = TestTokens.forRoles("crm");
    private static final String ADMIN = TestTokens.forRoles("admin");
    private static final String MARKETING = TestTokens.forRoles("marketing");
    private static final String SECRET = "whsec_" + UUID.randomUUID();
    private static final UUID MODEL = UUID.fromString("00000000-0000-0000-0000-0000000000bb");

    @Inject
    Pool pool;

    @Inject
    @Channel("test-score-updates")
    MutinyEmitter<JsonObject> scoreUpdates;

    private static String subscribe(String url, String... events) {
        return given().auth().oauth2(CRM).contentType(ContentType.JSON)
                .body(Map.of("url", url, "secret", SECRET, "events", List.of(events)))
                .post("/crm/webhooks").then().statusCode(201)
                .body("secret", nullValue())
                .extract().path("id");
    }

    private static void unsubscribe(String id) {
        given().auth().oauth2(CRM).delete("/crm/webhooks/" + id).then().statusCode(204);
    }

    private static String[] capture() {
        JsonPath captured = given().auth().oauth2(MARKETING).contentType(ContentType.JSON)
                .body("{\"email\": \"hook." + UUID.randomUUID() + "@example.com\", \"topic\": \"solar-panels\", "
                        + "\"source\": \"MARKETING_FORM\"}")
                .post("/captures").then().statusCode(201).extract().jsonPath();
        return new String[] { captured.getString("leadId"), captured.getString("contactId") };
    }

    private void score(String leadId, String contactId, long sequence, int score) {
        boolean ready = score >= 50;
        ScoreChanged data = new ScoreChanged(UUID.fromString(leadId), UUID.fromString(contactId),
                List.of(new ScoreChanged.ModelScore(MODEL, 1, "Webhook test", score, ready ? "A" : "C", 50, ready)),
                ready, null);
        scoreUpdates.sendAndAwait(JsonObject.mapFrom(Envelope.of(EventTypes.SCORE_CHANGED, "scoring-service",
                Instant.now(), UUID.fromString(leadId), sequence, data)));
    }

    @Test
    void onlyAFanOutThatAddsADeliveryWakesTheDeliveryWorkers() throws Exception {
        List<String> heard = new CopyOnWriteArrayList<>();
        SqlConnection connection = pool.getConnectionAndAwait();
        try {
            PgConnection listener = PgConnection.cast(connection);
            listener.notificationHandler(notification -> heard.add(notification.getPayload()));
            listener.query("listen webhook_delivery").executeAndAwait();

            // a fan-out that no subscription takes inserts no row (here: an insert of nothing), then a marker
            pool.query("insert into webhook_delivery select * from webhook_delivery where false").executeAndAwait();
            pool.query("select pg_notify('webhook_delivery', 'nothing-added')").executeAndAwait();
            await().atMost(Duration.ofSeconds(10)).until(() -> heard.contains("nothing-added"));
            assertEquals(List.of("nothing-added"), heard, "an insert of no delivery woke the workers");

            // a lead event a subscription takes adds a delivery: the workers are woken (before the next marker)
            try (WebhookReceiver crm = new WebhookReceiver(SECRET, 0)) {
                String id = subscribe(crm.url(), "lead.created");
                try {
                    capture();
                    pool.query("select pg_notify('webhook_delivery', 'delivery-added')").executeAndAwait();
                    await().atMost(Duration.ofSeconds(10)).until(() -> heard.contains("delivery-added"));
                    assertTrue(heard.indexOf("") > 0 && heard.indexOf("") < heard.indexOf("delivery-added"),
                            () -> "heard " + heard);
                } finally {
                    unsubscribe(id);
                }
            }
        } finally {
            connection.closeAndAwait();
        }
    }

    @Test
    void aSubscriberGetsSalesReadySignedWithItsSecret() throws Exception {
        try (WebhookReceiver crm = new WebhookReceiver(SECRET, 0)) {
            String id = subscribe(crm.url(), "lead.sales-ready");
            try {
                String[] lead = capture();
                score(lead[0], lead[1], 1, 80);
                await().atMost(Duration.ofSeconds(15)).until(() -> !crm.forLead(lead[0]).isEmpty());
                WebhookReceiver.Received received = crm.forLead(lead[0]).get(0);
                assertEquals("lead.sales-ready", received.envelope().getString("type"));
                assertEquals(received.envelope().getString("id"), received.eventId());
                assertEquals(lead[0], received.envelope().getJsonObject("data").getString("leadId"));
                assertEquals("SCORE", received.envelope().getJsonObject("data").getString("by"));
                assertEquals(0, crm.badSignatures.get());
                // only the subscribed type: lead.created and lead.stage-changed were not sent
                Thread.sleep(500);
                assertEquals(1, crm.forLead(lead[0]).size(), () -> "received " + crm.forLead(lead[0]));

                given().auth().oauth2(ADMIN).get("/crm/webhooks/" + id + "/deliveries").then().statusCode(200)
                        .body("items.find { it.leadId == '" + lead[0] + "' }.state", equalTo("DELIVERED"))
                        .body("items.find { it.leadId == '" + lead[0] + "' }.attemptLog[0].status", equalTo(204));
            } finally {
                unsubscribe(id);
            }
        }
    }

    @Test
    void failedDeliveriesAreRetriedWithBackOffAndOneLeadsEventsArriveInOrderOnceEach() throws Exception {
        try (WebhookReceiver crm = new WebhookReceiver(SECRET, 4)) {
            String id = subscribe(crm.url(), "lead.created", "lead.stage-changed", "lead.sales-ready");
            try {
                String[] lead = capture();
                score(lead[0], lead[1], 1, 10);
                score(lead[0], lead[1], 2, 90);
                // created, stage-changed (scored), sales-ready, stage-changed (to tele-prospecting)
                await().atMost(Duration.ofSeconds(30)).until(() -> crm.forLead(lead[0]).size() >= 4);
                Thread.sleep(1500);
                List<WebhookReceiver.Received> got = crm.forLead(lead[0]);
                assertEquals(List.of("lead.created", "lead.stage-changed", "lead.sales-ready", "lead.stage-changed"),
                        got.stream().map(r -> r.envelope().getString("type")).toList());
                List<Long> sequences = got.stream().map(r -> r.envelope().getLong("sequence")).toList();
                assertEquals(sequences.stream().sorted().toList(), sequences, "in per-lead order");
                assertEquals(got.size(), got.stream().map(WebhookReceiver.Received::eventId).distinct().count(),
                        "each event once");
                assertTrue(crm.requests.get() >= got.size() + 4, "the first four requests failed");

                JsonPath log = given().auth().oauth2(CRM).get("/crm/webhooks/" + id + "/deliveries?limit=200")
                        .then().statusCode(200).extract().jsonPath();
                List<Map<String, Object>> forLead = log.<Map<String, Object>> getList("items").stream()
                        .filter(d -> lead[0].equals(d.get("leadId"))).toList();
                assertEquals(4, forLead.size());
                assertTrue(forLead.stream().allMatch(d -> "DELIVERED".equals(d.get("state"))));
                Map<String, Object> first = forLead.stream().filter(d -> "lead.created".equals(d.get("eventType")))
                        .findFirst().orElseThrow();
                List<Map<String, Object>> attempts = (List<Map<String, Object>>) first.get("attemptLog");
                assertTrue(attempts.size() >= 2, () -> "retried: " + attempts);
                assertEquals(503, attempts.get(0).get("status"));
                assertEquals("HTTP 503", attempts.get(0).get("error"));
                assertEquals(204, attempts.get(attempts.size() - 1).get("status"));
            } finally {
                unsubscribe(id);
            }
        }
    }

    /**
     * A receiver that is down leaves one delivery per lead trying; the ones behind it wait and the claim does not read
     * them (before: every pending row behind a dead receiver was read by every claim, 125,000 rows and 1.6 s per claim
     * in the long fault run, and the other subscribers starved). Another subscriber meanwhile gets its events; once the
     * receiver is back, the waiting ones go, in order, once each.
     */
    @Test
    void behindAReceiverThatIsDownTheLeadsOtherDeliveriesWaitAndOthersStillGetTheirs() throws Exception {
        try (WebhookReceiver down = new WebhookReceiver(SECRET, Integer.MAX_VALUE);
                WebhookReceiver up = new WebhookReceiver(SECRET, 0)) {
            String[] types = { "lead.created", "lead.stage-changed", "lead.sales-ready" };
            String downId = subscribe(down.url(), types);
            String upId = subscribe(up.url(), types);
            try {
                String[] lead = capture();
                score(lead[0], lead[1], 1, 10);
                score(lead[0], lead[1], 2, 90);
                await().atMost(Duration.ofSeconds(30)).until(() -> up.forLead(lead[0]).size() >= 4);
                await().atMost(Duration.ofSeconds(10)).until(() -> down.requests.get() >= 2);

                List<Row> pending = pool.preparedQuery("select sequence, waiting, attempts from webhook_delivery "
                        + "where subscription_id = $1 and lead_id = $2 and state = 'PENDING' order by sequence")
                        .execute(Tuple.of(UUID.fromString(downId), UUID.fromString(lead[0])))
                        .await().atMost(Duration.ofSeconds(5)).stream().toList();
                assertEquals(4, pending.size(), "all four events owed to the receiver that is down");
                assertEquals(List.of(false, true, true, true), pending.stream().map(r -> r.getBoolean("waiting")).toList(),
                        "the first is tried, the rest wait");
                assertTrue(pending.get(0).getInteger("attempts") >= 2, "the first was retried");
                assertTrue(pending.stream().skip(1).allMatch(r -> r.getInteger("attempts") == 0),
                        "the waiting ones were never claimed");

                // the log tells when a waiting delivery's next attempt is due: not before the one it waits behind is
                // delivered, so at that one's next attempt (before: its own creation time, long past)
                List<Map<String, Object>> log = given().auth().oauth2(CRM)
                        .get("/crm/webhooks/" + downId + "/deliveries?limit=200").then().statusCode(200)
                        .extract().jsonPath().<Map<String, Object>> getList("items").stream()
                        .filter(d -> lead[0].equals(d.get("leadId")) && "PENDING".equals(d.get("state")))
                        .sorted(java.util.Comparator.comparing(d -> ((Number) d.get("sequence")).longValue()))
                        .toList();
                assertEquals(4, log.size(), () -> "pending in the log: " + log);
                Object headDue = log.get(0).get("nextAttemptAt");
                assertTrue(Instant.parse((String) headDue).isAfter(Instant.parse((String) log.get(0).get("createdAt"))),
                        () -> "the first was retried later: " + log.get(0));
                for (Map<String, Object> waiting : log.subList(1, 4)) {
                    assertEquals(headDue, waiting.get("nextAttemptAt"), () -> "due with the first: " + waiting);
                }

                down.recover();
                await().atMost(Duration.ofSeconds(30)).until(() -> down.forLead(lead[0]).size() >= 4);
                Thread.sleep(1000);
                List<WebhookReceiver.Received> got = down.forLead(lead[0]);
                List<Long> sequences = got.stream().map(r -> r.envelope().getLong("sequence")).toList();
                assertEquals(4, got.size(), "each event once");
                assertEquals(sequences.stream().sorted().toList(), sequences, "in per-lead order");
            } finally {
                unsubscribe(downId);
                unsubscribe(upId);
            }
        }
    }

    @Test
    void subscriptionsAreListedReadAndDeletedWithoutTheirSecret() {
        String id = subscribe("http://127.0.0.1:9/never", "lead.sales-ready", "lead.closed");
        given().auth().oauth2(ADMIN).get("/crm/webhooks/" + id).then().statusCode(200)
                .body("url", equalTo("http://127.0.0.1:9/never"))
                .body("events", equalTo(List.of("lead.sales-ready", "lead.closed")))
                .body("secret", nullValue());
        given().auth().oauth2(CRM).get("/crm/webhooks").then().statusCode(200)
                .body("items.id", hasItem(id))
                .body("items.secret", not(hasItem(SECRET)));
        unsubscribe(id);
        given().auth().oauth2(CRM).get("/crm/webhooks/" + id).then().statusCode(404)
                .contentType("application/problem+json");
        given().auth().oauth2(CRM).get("/crm/webhooks").then().body("items.id", not(hasItem(id)));
        given().auth().oauth2(CRM).delete("/crm/webhooks/" + id).then().statusCode(404);
        // the log of a deleted subscription stays readable
        given().auth().oauth2(CRM).get("/crm/webhooks/" + id + "/deliveries").then().statusCode(200);
    }

    /**
     * Before, any CRM client listed, read and deleted every subscription (and read its delivery log, with the
     * payloads sent to another CRM).
     */
    @Test
    void aSubscriptionBelongsToTheCrmClientThatMadeIt() {
        String mine = subscribe("http://127.0.0.1:9/mine", "lead.closed");
        String otherCrm = TestTokens.mint("other-crm", TestTokens.ISSUER, 3600, TestTokens.privateKey(), "crm");
        String theirs = given().auth().oauth2(otherCrm).contentType(ContentType.JSON)
                .body(Map.of("url", "http://127.0.0.1:9/theirs", "secret", SECRET, "events", List.of("lead.closed")))
                .post("/crm/webhooks").then().statusCode(201).extract().path("id");

        given().auth().oauth2(CRM).get("/crm/webhooks").then().statusCode(200)
                .body("items.id", hasItem(mine)).body("items.id", not(hasItem(theirs)));
        given().auth().oauth2(CRM).get("/crm/webhooks/" + theirs).then().statusCode(404)
                .contentType("application/problem+json");
        given().auth().oauth2(CRM).get("/crm/webhooks/" + theirs + "/deliveries").then().statusCode(404);
        given().auth().oauth2(CRM).delete("/crm/webhooks/" + theirs).then().statusCode(404);
        // the admin sees and manages every subscription
        given().auth().oauth2(ADMIN).get("/crm/webhooks").then().statusCode(200)
                .body("items.id", hasItem(mine)).body("items.id", hasItem(theirs));
        given().auth().oauth2(otherCrm).get("/crm/webhooks/" + theirs).then().statusCode(200);
        given().auth().oauth2(ADMIN).delete("/crm/webhooks/" + theirs).then().statusCode(204);
        unsubscribe(mine);
    }

    @Test
    void badSubscriptionsAndForbiddenTargetsAreProblems() {
        given().auth().oauth2(CRM).contentType(ContentType.JSON)
                .body(Map.of("url", "ftp://crm.example.com/x", "secret", "short", "events", List.of("score.changed")))
                .post("/crm/webhooks").then().statusCode(422).contentType("application/problem+json")
                .body("errors.field", hasItem("url"))
                .body("errors.field", hasItem("secret"))
                .body("errors.field", hasItem("events"));
        given().auth().oauth2(CRM).contentType(ContentType.JSON)
                .body(Map.of("url", "http://crm.example.com/x", "secret", SECRET, "events", List.of()))
                .post("/crm/webhooks").then().statusCode(422).body("errors.field", hasItem("events"));
        // the cloud metadata service (link-local) is refused even where private targets are allowed (tests)
        given().auth().oauth2(CRM).contentType(ContentType.JSON)
                .body(Map.of("url", "http://169.254.169.254/latest/meta-data", "secret", SECRET, "events",
                        List.of("lead.sales-ready")))
                .post("/crm/webhooks").then().statusCode(422).contentType("application/problem+json")
                .body("errors[0].field", equalTo("url"))
                .body("detail", org.hamcrest.Matchers.containsString("link-local"));
        given().auth().oauth2(CRM).contentType(ContentType.JSON)
                .body(Map.of("url", "http://does-not-exist.invalid/x", "secret", SECRET, "events",
                        List.of("lead.sales-ready")))
                .post("/crm/webhooks").then().statusCode(422).body("errors[0].field", equalTo("url"));
        given().auth().oauth2(CRM).contentType(ContentType.JSON).body("{\"url\": ")
                .post("/crm/webhooks").then().statusCode(400).contentType("application/problem+json");
        given().auth().oauth2(CRM).get("/crm/webhooks/not-a-uuid").then().statusCode(404);
        given().auth().oauth2(CRM).get("/crm/webhooks/" + UUID.randomUUID() + "/deliveries?after=x").then()
                .statusCode(400);
        given().auth().oauth2(MARKETING).get("/crm/webhooks").then().statusCode(403);
        given().get("/crm/webhooks").then().statusCode(401);
    }
}
