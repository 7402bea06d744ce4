package io.leadsuite.scoring.service;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import io.leadsuite.kit.sql.SessionSql;
import io.leadsuite.scoring.domain.ContactRef;
import io.leadsuite.scoring.domain.InteractionInput;
import io.leadsuite.scoring.domain.TrackedLead;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.vertx.VertxContextSupport;

/**
 * Scoring an interaction writes what it changes and nothing else: the lead's tracked row (its score.changed sequence),
 * never the contact's row it only reads. Each write is a row version in PostgreSQL ({@code xmin}).
 */
@QuarkusTest
class LeadScorerWritesTest {

    @Inject
    InteractionService interactions;

    @Test
    void scoringAnInteractionRewritesNoContactRow() throws Throwable {
        UUID contact = UUID.randomUUID();
        UUID lead = UUID.randomUUID();
        Instant now = Instant.now();
        VertxContextSupport.subscribeAndAwait(() -> Panache.withTransaction(() -> {
            ContactRef ref = new ContactRef();
            ref.contactId = contact;
            ref.take(1, "writes." + contact + "@example.com", "{\"country\":\"PT\",\"jobTitle\":\"IT Director\"}",
                    now);
            ref.createdAt = now;
            TrackedLead tracked = new TrackedLead();
            tracked.leadId = lead;
            tracked.contactId = contact;
            tracked.topic = "solar-panels";
            tracked.open = true;
            tracked.status = "OPEN";
            tracked.attributesJson = "{\"topic\":\"solar-panels\"}";
            tracked.createdAt = now;
            tracked.updatedAt = now;
            return ref.persist().chain(tracked::persist);
        }));

        for (int i = 0; i < 5; i++) {
            String contactBefore = rowVersion("contact_ref", "contact_id", contact);
            String leadBefore = rowVersion("tracked_lead", "lead_id", lead);
            String id = "writes-" + lead + "-" + i;
            InteractionService.Outcome outcome = VertxContextSupport.subscribeAndAwait(() -> interactions.submit(List.of(
                    new InteractionInput(id, "EVENT_REGISTERED", contact, null, null, null,
                            Instant.now(), Map.of()))));
            assertEquals(1, outcome.accepted().size());
            assertEquals(contactBefore, rowVersion("contact_ref", "contact_id", contact),
                    "interaction " + i + " rewrote the contact's row, which scoring only reads");
            assertNotEquals(leadBefore, rowVersion("tracked_lead", "lead_id", lead),
                    "interaction " + i + " moved the score: the lead's next score.changed sequence is stored");
        }
    }

    private static String rowVersion(String table, String key, UUID id) throws Throwable {
        return VertxContextSupport.subscribeAndAwait(() -> Panache.withSession(() -> SessionSql.column(String.class,
                "select xmin::text from " + table + " where " + key + " = $1", id))).get(0);
    }
}
