package io.leadsuite.scoring.rest;

import static io.leadsuite.scoring.rest.ScoringTestSupport.publishOneRuleModel;
import static io.leadsuite.scoring.rest.ScoringTestSupport.score;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

import jakarta.inject.Inject;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import io.agroal.api.AgroalDataSource;
import io.leadsuite.contracts.Capture;
import io.leadsuite.contracts.Envelope;
import io.leadsuite.contracts.EventTypes;
import io.leadsuite.contracts.LeadCaptured;
import io.leadsuite.contracts.LeadClosed;
import io.leadsuite.contracts.LeadCreated;
import io.leadsuite.contracts.LeadUpdated;
import io.leadsuite.scoring.event.ProjectionConsumer;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.vertx.VertxContextSupport;
import io.vertx.core.json.JsonObject;

/**
 * The captures a batch of lead events brings are scored together, at the end of the batch, in one scoring pass: a
 * lead captured twice in the batch gets one new standing, not one per capture. A lead that a later event of the same
 * batch closes is scored first, as if each event had been applied alone. Applied through the consumer's own handlers,
 * in one transaction, as the consumer applies a batch.
 */
@QuarkusTest
class CaptureBatchTest {

    @Inject
    ProjectionConsumer consumer;
    @Inject
    AgroalDataSource db;

    @AfterEach
    void retireTheTestModels() {
        ScoringTestSupport.retirePublished();
    }

    @Test
    void theCapturesOfABatchAreScoredTogetherAtItsEnd() throws Throwable {
        String topic = "batch-" + UUID.randomUUID();
        String model = publishOneRuleModel(topic, "FORM_SUBMITTED", 5);
        UUID twice = UUID.randomUUID();
        UUID once = UUID.randomUUID();
        UUID closed = UUID.randomUUID();
        UUID twiceContact = UUID.randomUUID();
        UUID closedContact = UUID.randomUUID();
        List<Envelope<?>> batch = List.of(
                created(twice, twiceContact, topic),
                created(once, UUID.randomUUID(), topic),
                created(closed, closedContact, topic),
                Envelope.of(EventTypes.LEAD_CAPTURED, "lead-service", Instant.now(), twice, 2,
                        new LeadCaptured(twice, twiceContact, topic, capture())),
                Envelope.of(EventTypes.LEAD_CLOSED, "lead-service", Instant.now(), closed, 2, new LeadClosed(closed,
                        closedContact, topic, "DISQUALIFIED", null, "not a buyer", null, null, "marketing-lead",
                        "INQUIRY", "DISQUALIFIED", "MANUAL", "tess")));
        VertxContextSupport.subscribeAndAwait(() -> Panache.withTransaction(() -> consumer
                .handlersOf(EventTypes.LEAD_EVENTS)
                .applyAll(batch.stream().map(JsonObject::mapFrom).toList())));

        assertEquals(10, score(twice, model));
        assertEquals(5, score(once, model));
        assertEquals(5, score(closed, model), "a capture made while its lead was open did not count");
        assertEquals(1, standings(twice, model), "the two captures of one batch were scored one at a time");
        assertEquals(1, standings(once, model));
    }

    /**
     * A lead the batch began tracking is scored at first without reading applied interactions (it cannot have any);
     * once a run of the batch applied its capture, a later run that rebuilds its score under a model (its topic
     * changed, so the model newly admits it) counts that capture.
     */
    @Test
    void aCaptureScoredEarlierInTheBatchCountsWhenALaterEventBringsTheLeadUnderAnotherModel() throws Throwable {
        String first = "first-" + UUID.randomUUID();
        String second = "second-" + UUID.randomUUID();
        String model = publishOneRuleModel(second, "FORM_SUBMITTED", 5);
        UUID lead = UUID.randomUUID();
        UUID contact = UUID.randomUUID();
        List<Envelope<?>> batch = List.of(created(lead, contact, first),
                Envelope.of(EventTypes.LEAD_UPDATED, "lead-service", Instant.now(), lead, 2, new LeadUpdated(lead,
                        contact, second, "MARKETING_FORM", "OPEN", null, null, null, null, null, null, null)));
        VertxContextSupport.subscribeAndAwait(() -> Panache.withTransaction(() -> consumer
                .handlersOf(EventTypes.LEAD_EVENTS)
                .applyAll(batch.stream().map(JsonObject::mapFrom).toList())));

        assertEquals(5, score(lead, model), "the capture applied under the first topic was left out of the new model");
    }

    private static Envelope<LeadCreated> created(UUID lead, UUID contact, String topic) {
        return Envelope.of(EventTypes.LEAD_CREATED, "lead-service", Instant.now(), lead, 1, new LeadCreated(lead,
                contact, topic, "MARKETING_FORM", "form-42", "marketing-lead", "INQUIRY", "OPEN", capture()));
    }

    private static Capture capture() {
        return new Capture(UUID.randomUUID(), Instant.now(), "MARKETING_FORM", "form-42");
    }

    /** How many standings the lead's history holds under the model: one per scoring pass that moved its score. */
    private int standings(UUID lead, String model) throws SQLException {
        try (Connection c = db.getConnection();
                PreparedStatement s = c.prepareStatement(
                        "select count(*) from lead_score_history where lead_id = ? and model_id = ?")) {
            s.setObject(1, lead);
            s.setObject(2, UUID.fromString(model));
            try (ResultSet r = s.executeQuery()) {
                r.next();
                return r.getInt(1);
            }
        }
    }
}
