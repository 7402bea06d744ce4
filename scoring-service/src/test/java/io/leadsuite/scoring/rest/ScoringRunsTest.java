package io.leadsuite.scoring.rest;

import static io.leadsuite.scoring.rest.ScoringTestSupport.leadCreated;
import static io.leadsuite.scoring.rest.ScoringTestSupport.post;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.UUID;

import jakarta.inject.Inject;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import io.leadsuite.contracts.LeadStageChanged;
import io.leadsuite.kit.sql.SessionSql;
import io.leadsuite.scoring.service.EventIntake;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.vertx.VertxContextSupport;
import io.smallrye.mutiny.Uni;

/**
 * When scoring runs, and with which models: a lead's stage change re-scores it only when a published model that scores
 * the lead tests its stage (a LEAD rule), otherwise none of its scores can change and its score rows are not even
 * read (PostgreSQL's count of scans of {@code lead_score} in the transaction that applies the event); the runs use a
 * recent copy of the published models, and a model published on this replica counts from the next interaction on, not
 * only once its re-scoring job (which waits before it starts) reaches the lead.
 */
@QuarkusTest
class ScoringRunsTest {

    @Inject
    EventIntake intake;

    @AfterEach
    void retireTheTestModels() {
        ScoringTestSupport.retirePublished();
    }

    @Test
    void aStageChangeReScoresOnlyUnderAModelThatTestsTheStage() throws Throwable {
        Tracked tracked = track("stage-");
        UUID lead = tracked.lead();
        UUID contact = tracked.contact();

        // only the default model scores the lead, and it has no LEAD rule
        assertEquals(0, stageChanged(lead, contact, "INQUIRY", "MQL", 2), "score rows read for a stage change");
        assertEquals("MQL", stage(lead), "the projection has the new stage");

        String model = ScoringTestSupport.publishModel("""
                {"name": "Stage", "scope": {"topics": ["%s"]}, "salesReadyThreshold": 100,
                 "rules": [{"id": "sql", "kind": "LEAD", "attribute": "stage", "operator": "EQUALS", "value": "SQL",
                            "points": 10}]}""".formatted(tracked.topic()));
        assertEquals(0, ScoringTestSupport.score(lead, model));
        assertTrue(stageChanged(lead, contact, "MQL", "SQL", 3) > 0, "a model tests the stage: the lead is re-scored");
        assertEquals(10, ScoringTestSupport.score(lead, model));
        assertEquals("SQL", stage(lead));
    }

    @Test
    void aModelPublishedHereScoresTheNextInteraction() throws Throwable {
        Tracked tracked = track("catalog-");
        UUID lead = tracked.lead();
        UUID contact = tracked.contact();
        // scored under the models published so far: the copy of them is fresh
        post("/interactions", opened(lead, contact, 1), 202);

        String model = post("/scoring/models", """
                {"name": "Opens", "scope": {"topics": ["%s"]}, "salesReadyThreshold": 100,
                 "rules": [{"id": "open", "interactionType": "EMAIL_OPENED", "points": 1}]}""".formatted(tracked.topic()), 201)
                .getString("id");
        ScoringTestSupport.PUBLISHED.add(model);
        post("/scoring/models/" + model + "/publish", "", 202);
        // the next interaction scores the lead under the new model from all it did: both opens
        post("/interactions", opened(lead, contact, 2), 202);
        assertEquals(2, ScoringTestSupport.score(lead, model));
    }

    private static String opened(UUID lead, UUID contact, int n) {
        return "{\"id\": \"catalog-" + lead + "-" + n + "\", \"type\": \"EMAIL_OPENED\", \"leadId\": \"" + lead
                + "\", \"contactId\": \"" + contact + "\"}";
    }

    private record Tracked(UUID lead, UUID contact, String topic) {
    }

    /** A new lead of a new topic, made known as its lead.created does, in a transaction. */
    private Tracked track(String topicPrefix) throws Throwable {
        Tracked tracked = new Tracked(UUID.randomUUID(), UUID.randomUUID(), topicPrefix + UUID.randomUUID());
        VertxContextSupport.subscribeAndAwait(() -> Panache.withTransaction(() -> intake
                .leadCreated(leadCreated(tracked.lead(), tracked.contact(), tracked.topic()).data(), 1)));
        return tracked;
    }

    /** Applies a stage change in a transaction; yields how often it scanned {@code lead_score}. */
    private long stageChanged(UUID lead, UUID contact, String from, String to, long sequence) throws Throwable {
        LeadStageChanged event = new LeadStageChanged(lead, contact, "marketing-lead", from, to, "OPEN", "SYSTEM",
                "system", null);
        // counted before and after in the transaction: PostgreSQL's figure may also hold earlier transactions' scans
        return VertxContextSupport.subscribeAndAwait(() -> Panache.withTransaction(() -> scoreScans()
                .chain(before -> intake.leadStageChanged(event, sequence).chain(this::scoreScans)
                        .map(after -> after - before))));
    }

    private Uni<Long> scoreScans() {
        return SessionSql.column(Long.class, "select coalesce(seq_scan, 0) + coalesce(idx_scan, 0) from "
                + "pg_stat_xact_user_tables where relname = 'lead_score'").map(rows -> rows.get(0));
    }

    private static String stage(UUID lead) throws Throwable {
        return VertxContextSupport.subscribeAndAwait(() -> Panache.withSession(() -> SessionSql.column(String.class,
                "select attributes ->> 'stage' from tracked_lead where lead_id = $1", lead))).get(0);
    }
}
