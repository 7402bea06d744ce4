package io.leadsuite.scoring.service;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import jakarta.inject.Inject;

import org.hibernate.reactive.mutiny.Mutiny;
import org.hibernate.stat.Statistics;
import org.junit.jupiter.api.Test;

import io.leadsuite.contracts.Capture;
import io.leadsuite.contracts.ContactCreated;
import io.leadsuite.contracts.ContactErased;
import io.leadsuite.contracts.Envelope;
import io.leadsuite.contracts.EventTypes;
import io.leadsuite.contracts.LeadCreated;
import io.leadsuite.contracts.LeadStageChanged;
import io.leadsuite.contracts.LeadUpdated;
import io.leadsuite.kit.sql.SessionSql;
import io.leadsuite.scoring.domain.ContactRef;
import io.leadsuite.scoring.domain.InteractionInput;
import io.leadsuite.scoring.event.ProjectionConsumer;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.vertx.VertxContextSupport;
import io.vertx.core.json.JsonObject;

/**
 * What a batch of lead events reads, applied as the consumer applies it (its handlers, one transaction): its contacts
 * once, under their locks, at the start, not once per event; no applied interactions for the leads it began tracking,
 * which cannot have any; the pending interactions of all the leads it catches up in one query, not one per lead; the
 * open leads of the contacts whose snapshots it takes in one query, not one per snapshot.
 * Counted with Hibernate's statistics (entity loads, query executions): of the whole application, so each test
 * asserts fewer than the old way would make by itself.
 */
@QuarkusTest
class BatchStatementsTest {

    /** The model every database starts with (V1__scoring.sql): a form submission is worth 10. */
    private static final UUID DEFAULT_MODEL = UUID.fromString("00000000-0000-0000-0000-00000000d3fa");
    private static final int LEADS = 5;
    /** HQL the tests count executions of, by a part of their text. */
    private static final String APPLIED_TO = "from Interaction i where exists (select 1 from InteractionApplication a";
    private static final String PENDING_FOR = "from Interaction i where (i.leadId = ?1";
    private static final String OPEN_LEADS_OF = "from TrackedLead t where t.contactId = ?1 and t.open = true";

    @Inject
    ProjectionConsumer consumer;
    @Inject
    EventIntake intake;
    @Inject
    Mutiny.SessionFactory sessions;
    @Inject
    InteractionService interactions;

    @Test
    void theLeadEventsOfABatchReadTheirContactsOnceAtItsStart() throws Throwable {
        List<UUID> leads = new ArrayList<>();
        List<JsonObject> contactEvents = new ArrayList<>();
        List<JsonObject> created = new ArrayList<>();
        List<JsonObject> changes = new ArrayList<>();
        for (int i = 0; i < LEADS; i++) {
            UUID contact = UUID.randomUUID();
            UUID lead = UUID.randomUUID();
            leads.add(lead);
            contactEvents.add(contactCreated(contact));
            created.add(leadCreated(lead, contact, capture()));
            // as old as the lead.created (sequence 1): redelivered or overtaken, they change nothing, so no model's
            // rule that tests the stage or an attribute starts a scoring run (which reads its lead's contact once more)
            changes.add(JsonObject.mapFrom(Envelope.of(EventTypes.LEAD_STAGE_CHANGED, "lead-service", Instant.now(),
                    lead, 1, new LeadStageChanged(lead, contact, "marketing-lead", "INQUIRY", "MQL", "OPEN", "SYSTEM",
                            null, null))));
            changes.add(JsonObject.mapFrom(Envelope.of(EventTypes.LEAD_UPDATED, "lead-service", Instant.now(), lead,
                    1, new LeadUpdated(lead, contact, null, "MARKETING_FORM", "OPEN", "telesales", null, null, null,
                            null, "a quote", null))));
        }
        apply(EventTypes.CONTACT_EVENTS, contactEvents);
        apply(EventTypes.LEAD_EVENTS, created);

        Statistics statistics = sessions.getStatistics();
        long before = contactLoads(statistics);

        apply(EventTypes.LEAD_EVENTS, changes);

        // the batch reads its contacts once, as values, under their locks, at its start; each event loading its
        // contact again made ten loads (the counter is the whole application's: a run beside this one may load one)
        long loads = contactLoads(statistics) - before;
        assertTrue(loads < changes.size(), changes.size() + " lead events of " + LEADS + " contacts loaded a contact "
                + loads + " times");
        for (UUID lead : leads) {
            assertEquals(1L, count("select count(*) from tracked_lead where lead_id = $1 and open "
                    + "and stage_sequence = 1 and attributes_sequence = 1 and not attributes ? 'need'", lead),
                    "the stale events changed " + lead);
        }
    }

    @Test
    void theSnapshotsOfABatchFindTheOpenLeadsOfAllItsContactsAtOnce() throws Throwable {
        List<UUID> leads = new ArrayList<>();
        List<JsonObject> created = new ArrayList<>();
        List<JsonObject> contactEvents = new ArrayList<>();
        List<InteractionInput> clicks = new ArrayList<>();
        Instant at = Instant.now().minusSeconds(60);
        for (int i = 0; i < LEADS; i++) {
            UUID contact = UUID.randomUUID();
            UUID lead = UUID.randomUUID();
            leads.add(lead);
            created.add(leadCreated(lead, contact, capture()));
            contactEvents.add(contactCreated(contact));
            // naming the contact by its e-mail only: it counts for the lead once the contact's snapshot is taken
            clicks.add(interaction("EMAIL_CLICKED", null, "batch." + contact + "@example.com", null, null, at));
        }
        // the leads come before their contacts (another queue), the clicks before both
        VertxContextSupport.subscribeAndAwait(() -> interactions.submit(clicks));
        apply(EventTypes.LEAD_EVENTS, created);
        Statistics statistics = sessions.getStatistics();
        long before = executions(statistics, OPEN_LEADS_OF);

        apply(EventTypes.CONTACT_EVENTS, contactEvents);

        // the counter is the whole application's: a run beside this one may ask for a contact's open leads; this
        // batch asking once per snapshot would make five
        long executions = executions(statistics, OPEN_LEADS_OF) - before;
        assertTrue(executions < LEADS, LEADS + " snapshots asked for their contact's open leads " + executions
                + " times");
        for (UUID lead : leads) {
            assertEquals(10L + 5, count("select score from lead_score where lead_id = $1 and model_id = $2", lead,
                    DEFAULT_MODEL), "the capture and the click naming the e-mail of the contact of " + lead);
        }
    }

    @Test
    void aLeadTheBatchBeganTrackingIsScoredWithoutReadingAppliedInteractions() throws Throwable {
        List<UUID> leads = new ArrayList<>();
        List<JsonObject> events = new ArrayList<>();
        for (int i = 0; i < LEADS; i++) {
            UUID lead = UUID.randomUUID();
            leads.add(lead);
            events.add(leadCreated(lead, UUID.randomUUID(), capture()));
        }
        Statistics statistics = sessions.getStatistics();
        long before = executions(statistics, APPLIED_TO);

        VertxContextSupport.subscribeAndAwait(() -> Panache.withTransaction(() -> consumer
                .handlersOf(EventTypes.LEAD_EVENTS).applyAll(events)));

        // the counter is the whole application's: a run beside this one may read a lead's applied interactions;
        // this batch alone would read them once per lead
        long executions = executions(statistics, APPLIED_TO) - before;
        assertTrue(executions < LEADS, "the first scoring of " + LEADS + " leads the batch began tracking read "
                + "their applied interactions " + executions + " times");
        for (UUID lead : leads) {
            assertEquals(10L, count("select score from lead_score where lead_id = $1 and model_id = $2", lead,
                    DEFAULT_MODEL), "the capture of " + lead + " scored");
            assertEquals(1L, count("select count(*) from rule_hit where lead_id = $1 and model_id = $2", lead,
                    DEFAULT_MODEL));
        }
    }

    @Test
    void theCatchUpOfABatchAsksForThePendingInteractionsOfAllItsLeadsAtOnce() throws Throwable {
        UUID[] contacts = { UUID.randomUUID(), UUID.randomUUID(), UUID.randomUUID() };
        UUID[] leads = { UUID.randomUUID(), UUID.randomUUID(), UUID.randomUUID() };
        String topic = "catch-up-" + UUID.randomUUID();
        apply(EventTypes.CONTACT_EVENTS, List.of(contactCreated(contacts[0]), contactCreated(contacts[1]),
                contactCreated(contacts[2])));
        // stored before their leads are known: naming the lead, the contact by id, the contact by e-mail only, the
        // contact with the lead's topic (written otherwise) and with another topic (which does not count)
        Instant at = Instant.now().minusSeconds(60);
        VertxContextSupport.subscribeAndAwait(() -> interactions.submit(List.of(
                interaction("EMAIL_OPENED", null, null, leads[0], null, at),
                interaction("EMAIL_OPENED", contacts[0], null, null, null, at.plusSeconds(1)),
                interaction("EMAIL_CLICKED", null, "batch." + contacts[1] + "@example.com", null, null, at),
                interaction("EMAIL_CLICKED", contacts[2], null, null, " " + topic.toUpperCase() + " ", at),
                interaction("EMAIL_CLICKED", contacts[2], null, null, "another-topic", at))));
        List<JsonObject> events = new ArrayList<>();
        for (int i = 0; i < leads.length; i++) {
            events.add(JsonObject.mapFrom(Envelope.of(EventTypes.LEAD_CREATED, "lead-service", Instant.now(),
                    leads[i], 1, new LeadCreated(leads[i], contacts[i], i == 2 ? topic : null, "MARKETING_FORM",
                            "form-42", "marketing-lead", "INQUIRY", "OPEN", capture()))));
        }
        Statistics statistics = sessions.getStatistics();
        long before = executions(statistics, PENDING_FOR);

        apply(EventTypes.LEAD_EVENTS, events);

        // the counter is the whole application's; asked lead by lead, this batch alone would make three
        long executions = executions(statistics, PENDING_FOR) - before;
        assertTrue(executions < leads.length, "the catch-up of " + leads.length + " leads asked for their pending "
                + "interactions with " + executions + " queries of one lead each");
        assertEquals(10L + 2 + 2, count("select score from lead_score where lead_id = $1 and model_id = $2", leads[0],
                DEFAULT_MODEL), "the capture, the open naming the lead and the open naming its contact");
        assertEquals(10L + 5, count("select score from lead_score where lead_id = $1 and model_id = $2", leads[1],
                DEFAULT_MODEL), "the capture and the click naming its contact's e-mail");
        assertEquals(10L + 5, count("select score from lead_score where lead_id = $1 and model_id = $2", leads[2],
                DEFAULT_MODEL), "the capture and the click of its topic, not the one of another");
    }

    @Test
    void aLeadCreatedAfterItsContactsErasureInTheSameBatchIsErased() throws Throwable {
        UUID contact = UUID.randomUUID();
        UUID before = UUID.randomUUID();
        UUID after = UUID.randomUUID();
        apply(EventTypes.CONTACT_EVENTS, List.of(contactCreated(contact)));
        Capture late = capture();
        List<Envelope<?>> batch = List.of(
                Envelope.of(EventTypes.LEAD_CREATED, "lead-service", Instant.now(), before, 1,
                        created(before, contact, capture())),
                Envelope.of(EventTypes.CONTACT_ERASED, "contact-service", Instant.now(), contact, 2,
                        new ContactErased(contact)),
                Envelope.of(EventTypes.LEAD_CREATED, "lead-service", Instant.now(), after, 1,
                        created(after, contact, late)));

        // one unit of work as a consumer applies it, with the contact read under its lock at the start: the erasure
        // in the middle must not leave that read to the lead created after it
        VertxContextSupport.subscribeAndAwait(() -> Panache.withTransaction(() -> intake.deferCatchUps()
                .chain(() -> intake.lockAll(batch))
                .chain(() -> intake.leadCreated((LeadCreated) batch.get(0).data(), 1))
                .chain(() -> intake.contactErased((ContactErased) batch.get(1).data(), 2))
                .chain(() -> intake.leadCreated((LeadCreated) batch.get(2).data(), 1))
                .chain(() -> intake.catchUpDeferred(batch))));

        assertEquals(0L, count("select count(*) from tracked_lead where contact_id = $1 and (open or status <> 'ERASED')",
                contact), "a lead of the erased contact is open");
        assertEquals(0L, count("select count(*) from interaction where id = $1", late.captureId().toString()),
                "the capture of a lead created after its contact's erasure was stored");
    }

    private void apply(String address, List<JsonObject> events) throws Throwable {
        VertxContextSupport.subscribeAndAwait(() -> Panache.withTransaction(() -> consumer.handlersOf(address)
                .applyAll(events)));
    }

    /** How many times the application executed the HQL that contains {@code part}. */
    private static long executions(Statistics statistics, String part) {
        long executions = 0;
        for (String query : statistics.getQueries()) {
            if (query.contains(part)) {
                executions += statistics.getQueryStatistics(query).getExecutionCount();
            }
        }
        return executions;
    }

    private static InteractionInput interaction(String type, UUID contact, String email, UUID lead, String topic,
            Instant at) {
        return new InteractionInput("batch-" + UUID.randomUUID(), type, contact, email, lead, topic, at, Map.of());
    }

    private static long contactLoads(Statistics statistics) {
        return statistics.getEntityStatistics(ContactRef.class.getName()).getLoadCount();
    }

    private static long count(String sql, Object... parameters) throws Throwable {
        return VertxContextSupport.subscribeAndAwait(() -> Panache.withSession(() -> SessionSql.select(sql,
                parameters))).stream().findFirst().map(row -> ((Number) row[0]).longValue()).orElse(-1L);
    }

    private static JsonObject contactCreated(UUID contact) {
        return JsonObject.mapFrom(Envelope.of(EventTypes.CONTACT_CREATED, "contact-service", Instant.now(), contact, 1,
                new ContactCreated(contact, "batch." + contact + "@example.com", "Ana", "Silva", "Acme", "Engineer",
                        "PT", true)));
    }

    private static JsonObject leadCreated(UUID lead, UUID contact, Capture capture) {
        return JsonObject.mapFrom(Envelope.of(EventTypes.LEAD_CREATED, "lead-service", Instant.now(), lead, 1,
                created(lead, contact, capture)));
    }

    private static LeadCreated created(UUID lead, UUID contact, Capture capture) {
        return new LeadCreated(lead, contact, null, "MARKETING_FORM", "form-42", "marketing-lead", "INQUIRY", "OPEN",
                capture);
    }

    private static Capture capture() {
        return new Capture(UUID.randomUUID(), Instant.now(), "MARKETING_FORM", "form-42");
    }
}
