package io.leadsuite.lead.metrics;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

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

/**
 * The meters an operator reads on {@code /q/metrics} move when the matching thing happens: captures by outcome, a lead
 * that becomes sales-ready, the outbox relay's sends, the score-updates consumer's applied messages and lag, the
 * inbox's duplicates, and the outbox backlog gauges.
 */
@QuarkusTest
@QuarkusTestResource(FakeContactService.class)
class OperatorMetricsTest {

    private static final String MARKETING = TestTokens.forRoles("marketing");
    private static final UUID MODEL = UUID.fromString("00000000-0000-0000-0000-0000000000aa");

    @Inject
    @Channel("test-score-updates")
    MutinyEmitter<JsonObject> scoreUpdates;

    @Test
    void theMetersMoveWithCapturesScoresAndEvents() {
        Metrics before = Metrics.read();
        String email = "meter." + UUID.randomUUID() + "@example.com";
        JsonPath created = capture(email, 201);
        capture(email, 200);
        String leadId = created.getString("leadId");
        String contactId = created.getString("contactId");

        Envelope<ScoreChanged> crossing = scoreChanged(leadId, contactId, 1, 80);
        send(crossing);
        send(crossing); // a redelivery: the inbox skips it
        String sentinel = capture("meter." + UUID.randomUUID() + "@example.com", 201).getString("leadId");
        send(scoreChanged(sentinel, contactId, 1, 10));
        await().atMost(Duration.ofSeconds(20)).until(() -> {
            Metrics now = Metrics.read();
            return now.sum("leadsuite_consumer_messages_total", "channel=\"score-updates\"", "outcome=\"applied\"")
                    - before.sum("leadsuite_consumer_messages_total", "channel=\"score-updates\"",
                            "outcome=\"applied\"") >= 2
                    && now.sum("leadsuite_inbox_duplicates_total", "type=\"score.changed\"")
                            - before.sum("leadsuite_inbox_duplicates_total", "type=\"score.changed\"") >= 1;
        });
        await().atMost(Duration.ofSeconds(20)).until(() -> Metrics.read().sum("leadsuite_outbox_sent_total")
                - before.sum("leadsuite_outbox_sent_total") >= 3);

        Metrics after = Metrics.read();
        assertEquals(2, after.sum("leadsuite_captures_total", "contact=\"new\"", "lead=\"new\"")
                - before.sum("leadsuite_captures_total", "contact=\"new\"", "lead=\"new\""));
        assertEquals(1, after.sum("leadsuite_captures_total", "contact=\"known\"", "lead=\"touched\"")
                - before.sum("leadsuite_captures_total", "contact=\"known\"", "lead=\"touched\""));
        assertEquals(1, after.sum("leadsuite_leads_sales_ready_total") - before.sum("leadsuite_leads_sales_ready_total"));
        assertTrue(after.sum("leadsuite_consumer_lag_seconds_count", "channel=\"score-updates\"")
                - before.sum("leadsuite_consumer_lag_seconds_count", "channel=\"score-updates\"") >= 2);
        assertTrue(after.sum("leadsuite_consumer_batches_seconds_count", "channel=\"score-updates\"",
                "outcome=\"committed\"") > 0);
        // the backlog gauges are counted at start-up and then every few seconds: present and a number
        assertTrue(after.text.contains("\nleadsuite_outbox_waiting "), after.text);
        assertTrue(after.text.contains("\nleadsuite_outbox_oldest_age_seconds "), after.text);
        assertFalse(Double.isNaN(after.sum("leadsuite_outbox_waiting")), after.text);
        assertTrue(after.sum("leadsuite_outbox_oldest_age_seconds") >= 0, after.text);
    }

    private static JsonPath capture(String email, int status) {
        return given().auth().oauth2(MARKETING).contentType(ContentType.JSON)
                .body("{\"email\": \"" + email + "\", \"firstName\": \"Mo\", \"topic\": \"solar-panels\", "
                        + "\"source\": \"MARKETING_FORM\"}")
                .post("/captures").then().statusCode(status).extract().jsonPath();
    }

    private void send(Envelope<ScoreChanged> envelope) {
        scoreUpdates.sendAndAwait(JsonObject.mapFrom(envelope));
    }

    private static Envelope<ScoreChanged> scoreChanged(String leadId, String contactId, long sequence, int score) {
        boolean ready = score >= 50;
        ScoreChanged data = new ScoreChanged(UUID.fromString(leadId), UUID.fromString(contactId),
                List.of(new ScoreChanged.ModelScore(MODEL, 1, "Default engagement", score, ready ? "B" : "D", 50,
                        ready)),
                ready, null);
        return Envelope.of(EventTypes.SCORE_CHANGED, "scoring-service", Instant.now(), UUID.fromString(leadId),
                sequence, data);
    }

    /** One scrape of {@code /q/metrics}, in the Prometheus text format. */
    record Metrics(String text) {

        static Metrics read() {
            return new Metrics(given().get("/q/metrics").then().statusCode(200).extract().asString());
        }

        /** The sum of the samples of a metric whose labels include all of the given {@code name="value"}. */
        double sum(String metric, String... labels) {
            Pattern sample = Pattern.compile("^" + Pattern.quote(metric) + "(\\{[^}]*\\})? (\\S+)$", Pattern.MULTILINE);
            Matcher matcher = sample.matcher(text);
            double sum = 0;
            boolean found = false;
            while (matcher.find()) {
                String labelText = matcher.group(1) == null ? "" : matcher.group(1);
                boolean all = true;
                for (String label : labels) {
                    all &= labelText.contains(label);
                }
                if (all) {
                    sum += Double.parseDouble(matcher.group(2));
                    found = true;
                }
            }
            return found ? sum : 0;
        }
    }
}
