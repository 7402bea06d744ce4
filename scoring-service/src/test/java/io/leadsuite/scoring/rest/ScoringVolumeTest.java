package io.leadsuite.scoring.rest;

import static io.leadsuite.scoring.rest.ScoringTestSupport.post;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;

import jakarta.inject.Inject;

import org.eclipse.microprofile.reactive.messaging.Channel;
import org.jboss.logging.Logger;
import org.junit.jupiter.api.Test;

import io.agroal.api.AgroalDataSource;
import io.leadsuite.scoring.domain.CompiledModel;
import io.leadsuite.scoring.domain.InteractionFacts;
import io.leadsuite.scoring.domain.RunningScore;
import io.leadsuite.scoring.domain.ScoringModel;
import io.leadsuite.scoring.service.ModelCatalog;
import io.quarkus.test.junit.QuarkusTest;
import io.smallrye.reactive.messaging.MutinyEmitter;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/**
 * 10,000 interactions for 1,000 leads arrive over REST (9,000, in batches of 1,000) and over the inbound AMQP address
 * (1,000, one per message), some of them twice (over the same or the other way); afterwards every lead's score equals the score
 * computed from scratch,
 * by the rule engine alone, from the interactions stored for it, and equals the sum of its rule hits.
 */
@QuarkusTest
class ScoringVolumeTest {

    private static final Logger LOG = Logger.getLogger(ScoringVolumeTest.class);
    private static final int LEADS = 1000;
    private static final int INTERACTIONS = 10_000;
    /** How many arrive over REST; the rest over AMQP. */
    private static final int REST = 9_000;

    @Inject
    @Channel("test-lead-events")
    MutinyEmitter<JsonObject> leadEvents;

    @Inject
    @Channel("test-interactions")
    MutinyEmitter<JsonObject> interactions;

    @Inject
    AgroalDataSource db;

    @Test
    void tenThousandInteractionsScoreExactlyAsFromScratch() throws Exception {
        String run = UUID.randomUUID().toString().substring(0, 8);
        String topic = "volume-" + run;
        Random random = new Random(42);
        List<UUID> leads = new ArrayList<>();
        List<UUID> contacts = new ArrayList<>();
        for (int i = 0; i < LEADS; i++) {
            UUID lead = UUID.randomUUID();
            UUID contact = UUID.randomUUID();
            leads.add(lead);
            contacts.add(contact);
            leadEvents.sendAndAwait(JsonObject.mapFrom(ScoringTestSupport.leadCreated(lead, contact, topic)));
        }
        await().atMost(Duration.ofMinutes(3)).pollInterval(Duration.ofSeconds(1))
                .until(() -> count("select count(*) from tracked_lead where topic = ?", topic) == LEADS);

        String[] types = { "EMAIL_OPENED", "EMAIL_CLICKED", "PAGE_VISITED", "PAGE_VISITED", "FORM_SUBMITTED",
                "EVENT_REGISTERED", "EVENT_ATTENDED", "CUSTOM:webinar" };
        List<JsonObject> all = new ArrayList<>();
        Instant now = Instant.now();
        for (int i = 0; i < INTERACTIONS; i++) {
            int l = random.nextInt(LEADS);
            JsonObject interaction = new JsonObject().put("id", "vol-" + run + "-" + i)
                    .put("type", random.nextInt(200) == 0 ? "UNSUBSCRIBED" : types[random.nextInt(types.length)])
                    .put("contactId", contacts.get(l).toString())
                    .put("occurredAt", now.minusSeconds(random.nextInt(86_400)).toString());
            if (random.nextBoolean()) {
                interaction.put("leadId", leads.get(l).toString());
            }
            if ("PAGE_VISITED".equals(interaction.getString("type"))) {
                interaction.put("attributes", new JsonObject().put("url",
                        random.nextBoolean() ? "https://example.com/pricing" : "https://example.com/blog"));
            }
            all.add(interaction);
        }

        long started = System.nanoTime();
        // 9,000 over REST, in batches of 1,000; the first batch twice (every item a duplicate)
        int duplicatesSeen = 0;
        for (int from = 0; from < REST; from += 1000) {
            JsonArray batch = new JsonArray(all.subList(from, from + 1000));
            assertEquals(1000, post("/interactions", batch.encode(), 202).getList("accepted").size());
        }
        duplicatesSeen += post("/interactions", new JsonArray(all.subList(0, 1000)).encode(), 202)
                .getList("duplicates").size();
        long restDone = System.nanoTime();
        // 1,000 over AMQP, plus 100 repeats of REST items and 100 repeats of AMQP items
        List<JsonObject> messages = new ArrayList<>(all.subList(REST, INTERACTIONS));
        for (int i = 0; i < 100; i++) {
            messages.add(all.get(1000 + random.nextInt(REST - 1000)));
            messages.add(all.get(REST + random.nextInt(INTERACTIONS - REST)));
        }
        for (int from = 0; from < messages.size(); from += 100) {
            List<io.smallrye.mutiny.Uni<Void>> sends = new ArrayList<>();
            messages.subList(from, Math.min(messages.size(), from + 100)).forEach(m -> sends.add(interactions.send(m)));
            io.smallrye.mutiny.Uni.join().all(sends).andFailFast().await().atMost(Duration.ofMinutes(1));
        }
        // and 200 AMQP items again over REST (accepted or duplicate, depending on what arrived first)
        JsonArray late = new JsonArray();
        for (int i = 0; i < 200; i++) {
            late.add(all.get(INTERACTIONS - 1 - i));
        }
        post("/interactions", late.encode(), 202);
        assertEquals(1000, duplicatesSeen);

        String like = "vol-" + run + "-%";
        await().atMost(Duration.ofMinutes(5)).pollInterval(Duration.ofSeconds(1))
                .until(() -> count("select count(*) from interaction_application where interaction_id like ?",
                        like) == INTERACTIONS);
        long applied = System.nanoTime();
        LOG.infof("Volume: %d interactions over REST in %d ms; all %d applied (REST + AMQP, with repeats) after %d ms",
                REST, (restDone - started) / 1_000_000, INTERACTIONS, (applied - started) / 1_000_000);
        assertEquals(INTERACTIONS, count("select count(*) from interaction where id like ?", like),
                "every interaction stored once");

        assertScoresAsFromScratch(topic, leads, contacts);
    }

    /**
     * Sixteen clients at once post requests of 50 interactions over 200 leads, each interaction in two requests (so
     * submissions that the service applies together name the same ids and leads): every id is accepted exactly once
     * across all the answers and a duplicate in the other, and every lead's score is as from scratch and the sum of
     * its hits.
     */
    @Test
    void concurrentRequestsNamingTheSameIdsAndLeadsCountEachInteractionOnce() throws Exception {
        String run = UUID.randomUUID().toString().substring(0, 8);
        String topic = "together-" + run;
        int leadCount = 200;
        List<UUID> leads = new ArrayList<>();
        List<UUID> contacts = new ArrayList<>();
        for (int i = 0; i < leadCount; i++) {
            leads.add(UUID.randomUUID());
            contacts.add(UUID.randomUUID());
            leadEvents.sendAndAwait(JsonObject.mapFrom(ScoringTestSupport.leadCreated(leads.get(i), contacts.get(i),
                    topic)));
        }
        await().atMost(Duration.ofMinutes(2)).pollInterval(Duration.ofMillis(200))
                .until(() -> count("select count(*) from tracked_lead where topic = ?", topic) == leadCount);

        Random random = new Random(7);
        Instant now = Instant.now();
        List<JsonObject> all = new ArrayList<>();
        for (int i = 0; i < 1600; i++) {
            int l = random.nextInt(leadCount);
            JsonObject interaction = new JsonObject().put("id", "together-" + run + "-" + i)
                    .put("type", i % 3 == 0 ? "EMAIL_CLICKED" : "EVENT_REGISTERED")
                    .put("contactId", contacts.get(l).toString())
                    .put("occurredAt", now.minusSeconds(random.nextInt(3_600)).toString());
            if (i % 2 == 0) {
                interaction.put("leadId", leads.get(l).toString());
            }
            all.add(interaction);
        }
        // 64 requests of 50: the 1,600 interactions twice, the second time in another order and other company
        List<List<JsonObject>> requests = new ArrayList<>();
        List<JsonObject> shuffled = new ArrayList<>(all);
        java.util.Collections.shuffle(shuffled, random);
        for (List<JsonObject> round : List.of(all, shuffled)) {
            for (int from = 0; from < round.size(); from += 50) {
                requests.add(round.subList(from, from + 50));
            }
        }
        java.util.Collections.shuffle(requests, random);
        java.util.concurrent.ExecutorService clients = java.util.concurrent.Executors.newFixedThreadPool(16);
        List<java.util.concurrent.Future<io.restassured.path.json.JsonPath>> answers = new ArrayList<>();
        try {
            for (List<JsonObject> request : requests) {
                String body = new JsonArray(request).encode();
                answers.add(clients.submit(() -> post("/interactions", body, 202)));
            }
            Map<String, Integer> accepted = new HashMap<>();
            Map<String, Integer> duplicates = new HashMap<>();
            for (java.util.concurrent.Future<io.restassured.path.json.JsonPath> answer : answers) {
                io.restassured.path.json.JsonPath json = answer.get(2, java.util.concurrent.TimeUnit.MINUTES);
                json.<String> getList("accepted").forEach(id -> accepted.merge(id, 1, Integer::sum));
                json.<String> getList("duplicates").forEach(id -> duplicates.merge(id, 1, Integer::sum));
            }
            assertEquals(all.size(), accepted.size(), "every interaction accepted");
            assertTrue(accepted.values().stream().allMatch(n -> n == 1), "none accepted twice");
            assertEquals(accepted.keySet(), duplicates.keySet(), "each a duplicate in its other request");
            assertTrue(duplicates.values().stream().allMatch(n -> n == 1), "a duplicate once");
        } finally {
            clients.shutdownNow();
        }
        assertEquals(all.size(), count("select count(*) from interaction_application where interaction_id like ?",
                "together-" + run + "-%"), "each applied once");
        assertScoresAsFromScratch(topic, leads, contacts);
    }

    /**
     * Every lead's score equals the score computed by the rule engine alone from its stored interactions, and the sum of its
     * hits.
     */
    private void assertScoresAsFromScratch(String topic, List<UUID> leads, List<UUID> contacts) throws SQLException {
        CompiledModel model = defaultModel();
        Map<UUID, Integer> stored = new HashMap<>();
        Map<UUID, Integer> hitSums = new HashMap<>();
        try (Connection c = db.getConnection()) {
            try (PreparedStatement s = c.prepareStatement("select s.lead_id, s.score, (select coalesce(sum(h.points), 0) "
                    + "from rule_hit h where h.lead_id = s.lead_id and h.model_id = s.model_id) from lead_score s "
                    + "join tracked_lead t on t.lead_id = s.lead_id where t.topic = ? and s.model_id = ?")) {
                s.setString(1, topic);
                s.setObject(2, model.id());
                try (ResultSet r = s.executeQuery()) {
                    while (r.next()) {
                        stored.put(r.getObject(1, UUID.class), r.getInt(2));
                        hitSums.put(r.getObject(1, UUID.class), r.getInt(3));
                    }
                }
            }
            assertEquals(leads.size(), stored.size(), "every lead has a score");
            Instant at = Instant.now();
            int nonZero = 0;
            for (int i = 0; i < leads.size(); i++) {
                RunningScore scratch = RunningScore.fresh(model);
                for (InteractionFacts facts : storedFor(c, leads.get(i), contacts.get(i))) {
                    scratch.record(facts, at);
                }
                scratch.expire(at);
                assertEquals(scratch.score(), stored.get(leads.get(i)), "lead " + i);
                assertEquals(scratch.score(), hitSums.get(leads.get(i)), "lead " + i + ": the sum of its hits");
                nonZero += scratch.score() != 0 ? 1 : 0;
            }
            assertTrue(nonZero > leads.size() / 2, "most leads scored something: " + nonZero);
        }
    }

    /** The interactions stored for the lead: those naming it, and those naming only its contact. Oldest first. */
    private static List<InteractionFacts> storedFor(Connection c, UUID lead, UUID contact) throws SQLException {
        List<InteractionFacts> list = new ArrayList<>();
        try (PreparedStatement s = c.prepareStatement("select id, type, occurred_at, cast(attributes as text) "
                + "from interaction where lead_id = ? or (lead_id is null and contact_id = ?) "
                + "order by occurred_at, id")) {
            s.setObject(1, lead);
            s.setObject(2, contact);
            try (ResultSet r = s.executeQuery()) {
                while (r.next()) {
                    list.add(new InteractionFacts(r.getString(1), r.getString(2),
                            r.getTimestamp(3).toInstant(), new JsonObject(r.getString(4)).getMap()));
                }
            }
        }
        return list;
    }

    private CompiledModel defaultModel() throws SQLException {
        try (Connection c = db.getConnection();
                PreparedStatement s = c.prepareStatement("select name, version, "
                        + "cast(scope as text), sales_ready_threshold, cast(grades as text), cast(rules as text) "
                        + "from scoring_model where id = ?")) {
            s.setObject(1, ModelCatalog.DEFAULT_MODEL_ID);
            try (ResultSet r = s.executeQuery()) {
                r.next();
                ScoringModel m = new ScoringModel();
                m.id = ModelCatalog.DEFAULT_MODEL_ID;
                m.name = r.getString(1);
                m.version = r.getInt(2);
                m.scopeJson = r.getString(3);
                m.salesReadyThreshold = r.getInt(4);
                m.gradesJson = r.getString(5);
                m.rulesJson = r.getString(6);
                return ModelCatalog.compile(m);
            }
        }
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
