package io.leadsuite.scoring.bench;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.UUID;

import jakarta.inject.Inject;

import org.eclipse.microprofile.reactive.messaging.Channel;
import org.junit.jupiter.api.Test;

import io.agroal.api.AgroalDataSource;
import io.leadsuite.contracts.Envelope;
import io.leadsuite.contracts.EventTypes;
import io.leadsuite.contracts.LeadCreated;
import io.leadsuite.kit.testing.TestTokens;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.smallrye.reactive.messaging.MutinyEmitter;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/**
 * A benchmark, not a test (its name keeps it out of normal runs; it asserts no time): interactions scored per second
 * over REST (batches of 1,000, one client) and over the inbound AMQP address, for 1,000 leads under the default model.
 * Run it with {@code ./mvnw -pl scoring-service -am verify -Dtest=ScoringThroughputBenchmark
 * -Dsurefire.failIfNoSpecifiedTests=false} against the test infrastructure; it prints the figures.
 */
@QuarkusTest
class ScoringThroughputBenchmark {

    private static final int LEADS = 1000;
    private static final int REST_INTERACTIONS = 20_000;
    private static final int AMQP_INTERACTIONS = 2_000;

    @Inject
    @Channel("test-lead-events")
    MutinyEmitter<JsonObject> leadEvents;

    @Inject
    @Channel("test-interactions")
    MutinyEmitter<JsonObject> interactions;

    @Inject
    AgroalDataSource db;

    @Test
    void measure() throws Exception {
        String run = UUID.randomUUID().toString().substring(0, 8);
        String topic = "bench-" + run;
        List<UUID> contacts = new ArrayList<>();
        for (int i = 0; i < LEADS; i++) {
            UUID lead = UUID.randomUUID();
            UUID contact = UUID.randomUUID();
            contacts.add(contact);
            leadEvents.sendAndAwait(JsonObject.mapFrom(Envelope.of(EventTypes.LEAD_CREATED, "lead-service",
                    Instant.now(), lead, 1, new LeadCreated(lead, contact, topic, "IMPORT", null, "marketing-lead",
                            "INQUIRY", "OPEN", null))));
        }
        await().atMost(Duration.ofMinutes(5))
                .until(() -> count("select count(*) from tracked_lead where topic = ?", topic) == LEADS);
        Random random = new Random(7);
        String[] types = { "EMAIL_OPENED", "EMAIL_CLICKED", "PAGE_VISITED", "FORM_SUBMITTED", "EVENT_ATTENDED" };
        String token = TestTokens.forRoles("marketing");

        long start = System.nanoTime();
        for (int from = 0; from < REST_INTERACTIONS; from += 1000) {
            JsonArray batch = new JsonArray();
            for (int i = from; i < from + 1000; i++) {
                batch.add(interaction("bench-" + run + "-" + i, types, contacts, random));
            }
            given().auth().oauth2(token).contentType(ContentType.JSON).body(batch.encode()).post("/interactions")
                    .then().statusCode(202);
        }
        double restSeconds = (System.nanoTime() - start) / 1e9;

        start = System.nanoTime();
        for (int from = 0; from < AMQP_INTERACTIONS; from += 100) {
            List<io.smallrye.mutiny.Uni<Void>> sends = new ArrayList<>();
            for (int i = from; i < from + 100; i++) {
                sends.add(interactions.send(interaction("bench-amqp-" + run + "-" + i, types, contacts, random)));
            }
            io.smallrye.mutiny.Uni.join().all(sends).andFailFast().await().atMost(Duration.ofMinutes(1));
        }
        await().atMost(Duration.ofMinutes(10)).pollInterval(Duration.ofMillis(250)).until(() -> count(
                "select count(*) from interaction_application where interaction_id like ?",
                "bench-amqp-" + run + "-%") == AMQP_INTERACTIONS);
        double amqpSeconds = (System.nanoTime() - start) / 1e9;
        System.out.printf("%n[benchmark] REST: %d interactions in %.1f s = %.0f interactions/s scored (batches of 1000)%n",
                REST_INTERACTIONS, restSeconds, REST_INTERACTIONS / restSeconds);
        System.out.printf("[benchmark] AMQP: %d interactions in %.1f s = %.0f interactions/s scored (one per message)%n%n",
                AMQP_INTERACTIONS, amqpSeconds, AMQP_INTERACTIONS / amqpSeconds);
    }

    private static JsonObject interaction(String id, String[] types, List<UUID> contacts, Random random) {
        return new JsonObject().put("id", id).put("type", types[random.nextInt(types.length)])
                .put("contactId", contacts.get(random.nextInt(contacts.size())).toString())
                .put("attributes", new JsonObject().put("url", "https://example.com/pricing"));
    }

    private long count(String sql, String parameter) throws SQLException {
        try (Connection c = db.getConnection(); PreparedStatement s = c.prepareStatement(sql)) {
            s.setString(1, parameter);
            try (ResultSet r = s.executeQuery()) {
                r.next();
                return r.getLong(1);
            }
        }
    }
}
