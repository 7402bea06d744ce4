package io.leadsuite.scoring.rest;

import static io.leadsuite.scoring.rest.ScoringTestSupport.leadCreated;
import static io.leadsuite.scoring.rest.ScoringTestSupport.post;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.UUID;

import jakarta.inject.Inject;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import io.leadsuite.scoring.service.EventIntake;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.vertx.VertxContextSupport;

/**
 * Scoring runs use a recent copy of the published models; a model published on this replica counts from the next
 * interaction on, not only once its re-scoring job (which waits before it starts) reaches the lead.
 */
@QuarkusTest
class PublishedModelsTest {

    @Inject
    EventIntake intake;

    @AfterEach
    void retireTheTestModels() {
        ScoringTestSupport.retirePublished();
    }

    @Test
    void aModelPublishedHereScoresTheNextInteraction() throws Throwable {
        String topic = "catalog-" + UUID.randomUUID();
        UUID lead = UUID.randomUUID();
        UUID contact = UUID.randomUUID();
        VertxContextSupport.subscribeAndAwait(() -> Panache.withTransaction(
                () -> intake.leadCreated(leadCreated(lead, contact, topic).data(), 1)));
        // scored under the models published so far: the copy of them is fresh
        post("/interactions", opened(lead, contact, 1), 202);

        String model = post("/scoring/models", """
                {"name": "Opens", "scope": {"topics": ["%s"]}, "salesReadyThreshold": 100,
                 "rules": [{"id": "open", "interactionType": "EMAIL_OPENED", "points": 1}]}""".formatted(topic), 201)
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
}
