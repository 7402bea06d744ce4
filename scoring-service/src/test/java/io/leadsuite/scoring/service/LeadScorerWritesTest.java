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
import io.leadsuite.scoring.domain.StoredHits;
import io.leadsuite.scoring.domain.TrackedLead;
import io.leadsuite.scoring.repository.TrackedLeadRepository;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.vertx.VertxContextSupport;

/**
 * Scoring an interaction writes what it changes and nothing else: the lead's tracked row (its score.changed sequence),
 * never the contact's row it only reads (each write is a row version in PostgreSQL, {@code xmin}). And it reads what
 * it needs: the hits of rules without window counted, not one by one.
 */
@QuarkusTest
class LeadScorerWritesTest {

    /** The model every database starts with (V1__scoring.sql). */
    private static final UUID DEFAULT_MODEL = UUID.fromString("00000000-0000-0000-0000-00000000d3fa");

    @Inject
    InteractionService interactions;
    @Inject
    TrackedLeadRepository trackedLeads;

    @Test
    void scoringAnInteractionRewritesNoContactRow() throws Throwable {
        Tracked tracked = track();
        UUID contact = tracked.contact();
        UUID lead = tracked.lead();
        for (int i = 0; i < 5; i++) {
            String contactBefore = rowVersion("contact_ref", "contact_id", contact);
            String leadBefore = rowVersion("tracked_lead", "lead_id", lead);
            assertEquals(1, submit(contact, "writes-" + lead + "-" + i, "EVENT_REGISTERED").accepted().size());
            assertEquals(contactBefore, rowVersion("contact_ref", "contact_id", contact),
                    "interaction " + i + " rewrote the contact's row, which scoring only reads");
            assertNotEquals(leadBefore, rowVersion("tracked_lead", "lead_id", lead),
                    "interaction " + i + " moved the score: the lead's next score.changed sequence is stored");
        }
    }

    @Test
    void hitsOfARuleWithoutWindowAreReadCountedAndTheirCapHoldsAcrossRuns() throws Throwable {
        Tracked tracked = track();
        UUID lead = tracked.lead();
        // the default model: email-opened, 2 points, at most 10 times, no window; one scoring run per interaction
        for (int i = 0; i < 12; i++) {
            submit(tracked.contact(), "counted-" + lead + "-" + i, "EMAIL_OPENED");
        }
        TrackedLeadRepository.Stored stored = VertxContextSupport.subscribeAndAwait(() -> Panache.withTransaction(
                () -> trackedLeads.lockOpen(List.of(lead)).chain(trackedLeads::load)));
        StoredHits hits = stored.hitsOf(lead).get(DEFAULT_MODEL);
        assertEquals(List.of(), hits.live(), "no hit of a windowed rule or a fact");
        assertEquals(List.of(new StoredHits.Tally("email-opened", 10, 20)), hits.counted(),
                "ten hits, read as one row; the eleventh and twelfth open did not count");
        assertEquals(20, stored.scoresOf(lead).get(DEFAULT_MODEL).standing().score());
        assertEquals(10L, VertxContextSupport.subscribeAndAwait(() -> Panache.withSession(() -> SessionSql.column(
                Long.class, "select count(*) from rule_hit where lead_id = $1", lead))).get(0),
                "every hit is still stored");
    }

    /** One interaction of the contact, now, submitted as the API does: one scoring run. */
    private InteractionService.Outcome submit(UUID contact, String id, String type) throws Throwable {
        return VertxContextSupport.subscribeAndAwait(() -> interactions.submit(List.of(new InteractionInput(id, type,
                contact, null, null, null, Instant.now(), Map.of()))));
    }

    /** A contact and an open lead of it, as scoring knows them from their events. */
    private record Tracked(UUID contact, UUID lead) {
    }

    private static Tracked track() throws Throwable {
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
        return new Tracked(contact, lead);
    }

    private static String rowVersion(String table, String key, UUID id) throws Throwable {
        return VertxContextSupport.subscribeAndAwait(() -> Panache.withSession(() -> SessionSql.column(String.class,
                "select xmin::text from " + table + " where " + key + " = $1", id))).get(0);
    }
}
