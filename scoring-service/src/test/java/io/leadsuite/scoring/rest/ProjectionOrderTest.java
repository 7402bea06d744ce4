package io.leadsuite.scoring.rest;

import static io.leadsuite.scoring.rest.ScoringTestSupport.awaitScore;
import static io.leadsuite.scoring.rest.ScoringTestSupport.leadCreated;
import static io.leadsuite.scoring.rest.ScoringTestSupport.post;
import static io.leadsuite.scoring.rest.ScoringTestSupport.publishModel;
import static io.leadsuite.scoring.rest.ScoringTestSupport.score;
import static io.leadsuite.scoring.rest.ScoringTestSupport.status;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import jakarta.inject.Inject;

import org.eclipse.microprofile.reactive.messaging.Channel;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import io.agroal.api.AgroalDataSource;
import io.leadsuite.contracts.ContactCreated;
import io.leadsuite.contracts.ContactErased;
import io.leadsuite.contracts.ContactMerged;
import io.leadsuite.contracts.ContactUpdated;
import io.leadsuite.contracts.Envelope;
import io.leadsuite.contracts.EventTypes;
import io.leadsuite.contracts.LeadClosed;
import io.leadsuite.contracts.LeadUpdated;
import io.leadsuite.scoring.service.EventIntake;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.vertx.VertxContextSupport;
import io.smallrye.reactive.messaging.MutinyEmitter;
import io.vertx.core.json.JsonObject;

/**
 * Per-subject order in scoring's projections, against PostgreSQL and Artemis: a lead or contact event older than the
 * one applied (lower {@code sequence}, as after a redelivery) changes nothing it is older for, and an erased contact's
 * personal data never comes back. Each late event is still recorded in the inbox: the tests wait for that record, then
 * look at the rows.
 */
@QuarkusTest
class ProjectionOrderTest {

    @Inject
    @Channel("test-lead-events")
    MutinyEmitter<JsonObject> leadEvents;

    @Inject
    @Channel("test-contact-events")
    MutinyEmitter<JsonObject> contactEvents;

    @Inject
    AgroalDataSource db;

    @Inject
    EventIntake intake;

    @AfterEach
    void retireTheTestModels() {
        ScoringTestSupport.retirePublished();
    }

    @Test
    void aLateLeadUpdateDoesNotReopenAClosedLead() throws Exception {
        String topic = "order-" + UUID.randomUUID();
        String model = publishModel("""
                {"name": "Opens", "scope": {"topics": ["%s"]}, "salesReadyThreshold": 100,
                 "rules": [{"id": "open", "interactionType": "EMAIL_OPENED", "points": 1}]}""".formatted(topic));
        UUID lead = UUID.randomUUID();
        UUID contact = UUID.randomUUID();
        send(leadEvents, leadCreated(lead, contact, topic));
        await().atMost(ScoringTestSupport.PATIENCE).until(() -> status("/leads/" + lead + "/scores") == 200);
        open(lead, contact, "first");
        awaitScore(lead, model, 1);

        // lead-service disqualifies the lead (published as lead.closed only), sequence 3
        send(leadEvents, Envelope.of(EventTypes.LEAD_CLOSED, "lead-service", Instant.now(), lead, 3, new LeadClosed(
                lead, contact, topic, "DISQUALIFIED", null, "not a buyer", null, null, "marketing-lead", "INQUIRY",
                "DISQUALIFIED", "MANUAL", "tess")));
        await().atMost(ScoringTestSupport.PATIENCE).until(() -> Boolean.FALSE.equals(lead(lead).get("open")));
        open(lead, contact, "after-close");
        assertEquals(1, score(lead, model));

        // the update it made before (sequence 2) arrives late, after the close: it still says OPEN
        Envelope<LeadUpdated> late = Envelope.of(EventTypes.LEAD_UPDATED, "lead-service", Instant.now(), lead, 2,
                new LeadUpdated(lead, contact, topic, "MARKETING_FORM", "OPEN", "telesales", null,
                        new BigDecimal("25000"), "EUR", "THIS_QUARTER", "panels", true));
        send(leadEvents, late);
        awaitProcessed(late.id());

        Map<String, Object> row = lead(lead);
        assertEquals(false, row.get("open"), "a late lead.updated reopened a closed lead");
        assertEquals("DISQUALIFIED", row.get("status"));
        assertEquals(3L, row.get("event_sequence"));
        JsonObject facts = new JsonObject((String) row.get("attributes"));
        assertEquals("DISQUALIFIED", facts.getString("status"));
        // its attribute set is still the newest one known (sequence 2 > 1, lead.created's): that part applies
        assertEquals(25000, facts.getInteger("budget"));
        assertEquals(2L, row.get("attributes_sequence"));
        // and the lead is not scored again
        open(lead, contact, "after-late-update");
        assertEquals(1, score(lead, model));
    }

    @Test
    void aContactUpdateAfterItsErasureBringsNoPersonalDataBack() throws Exception {
        UUID contact = UUID.randomUUID();
        String email = "erased." + UUID.randomUUID() + "@example.com";
        send(contactEvents, Envelope.of(EventTypes.CONTACT_CREATED, "contact-service", Instant.now(), contact, 1,
                new ContactCreated(contact, email, "Ana", "Silva", "Acme", "Engineer", "PT", true)));
        await().atMost(ScoringTestSupport.PATIENCE).until(() -> email.equals(contact(contact).get("email")));

        send(contactEvents, Envelope.of(EventTypes.CONTACT_ERASED, "contact-service", Instant.now(), contact, 3,
                new ContactErased(contact)));
        await().atMost(ScoringTestSupport.PATIENCE).until(() -> contact(contact).get("erased_at") != null);

        // the update made before the erasure arrives late; a redelivered contact.created, and even an update with a
        // higher sequence, must not bring the personal data back either
        Envelope<ContactUpdated> late = Envelope.of(EventTypes.CONTACT_UPDATED, "contact-service", Instant.now(),
                contact, 2, new ContactUpdated(contact, email, "Ana", "Silva", "+351912345678", "Acme", "Director",
                        "Energy", "PT", true, List.of("jobTitle", "phone")));
        Envelope<ContactCreated> again = Envelope.of(EventTypes.CONTACT_CREATED, "contact-service", Instant.now(),
                contact, 1, new ContactCreated(contact, email, "Ana", "Silva", "Acme", "Engineer", "PT", true));
        Envelope<ContactUpdated> later = Envelope.of(EventTypes.CONTACT_UPDATED, "contact-service", Instant.now(),
                contact, 4, new ContactUpdated(contact, email, "Ana", "Silva", "+351912345678", "Acme", "Director",
                        "Energy", "PT", true, List.of("jobTitle")));
        send(contactEvents, late);
        send(contactEvents, again);
        send(contactEvents, later);
        awaitProcessed(late.id());
        awaitProcessed(again.id());
        awaitProcessed(later.id());

        assertTombstone(contact, 3L);
        assertEquals(0, countContactsWithEmail(email), "an erased contact's e-mail came back");
    }

    @Test
    void eventsAfterAnErasureInTheSameBatchBringNothingBack() throws Throwable {
        UUID contact = UUID.randomUUID();
        UUID lead = UUID.randomUUID();
        String topic = "batch-" + UUID.randomUUID();
        String email = "batch." + UUID.randomUUID() + "@example.com";
        send(contactEvents, Envelope.of(EventTypes.CONTACT_CREATED, "contact-service", Instant.now(), contact, 1,
                new ContactCreated(contact, email, "Ana", "Silva", "Acme", "Engineer", "PT", true)));
        send(leadEvents, leadCreated(lead, contact, topic));
        await().atMost(ScoringTestSupport.PATIENCE).until(() -> email.equals(contact(contact).get("email"))
                && !lead(lead).isEmpty());

        // one unit of work as a consumer batch applies it: every lock first (which reads the contact's e-mail), then
        // a lead change that loads the lead, the erasure, and events that were in flight behind it
        List<Envelope<?>> batch = List.of(
                Envelope.of(EventTypes.LEAD_UPDATED, "lead-service", Instant.now(), lead, 4,
                        leadUpdated(lead, contact, topic, "first need")),
                Envelope.of(EventTypes.CONTACT_ERASED, "contact-service", Instant.now(), contact, 3,
                        new ContactErased(contact)),
                Envelope.of(EventTypes.CONTACT_UPDATED, "contact-service", Instant.now(), contact, 2,
                        new ContactUpdated(contact, email, "Ana", "Silva", "+351912345678", "Acme", "Director",
                                "Energy", "PT", true, List.of("jobTitle", "phone"))),
                Envelope.of(EventTypes.LEAD_UPDATED, "lead-service", Instant.now(), lead, 5,
                        leadUpdated(lead, contact, topic, "Ana Silva wants a quote at home")));
        VertxContextSupport.subscribeAndAwait(() -> Panache.withTransaction(() -> intake.lockAll(batch)
                .chain(() -> intake.leadUpdated((LeadUpdated) batch.get(0).data(), 4))
                .chain(() -> intake.contactErased((ContactErased) batch.get(1).data(), 3))
                .chain(() -> intake.contactUpdated((ContactUpdated) batch.get(2).data(), 2))
                .chain(() -> intake.leadUpdated((LeadUpdated) batch.get(3).data(), 5))));

        assertTombstone(contact, 3L);
        assertEquals(0, countContactsWithEmail(email), "an erased contact's e-mail came back");
        Map<String, Object> row = lead(lead);
        assertEquals(false, row.get("open"));
        assertEquals("ERASED", row.get("status"));
        assertEquals(Map.of(), new JsonObject((String) row.get("attributes")).getMap(),
                "an erased contact's lead got attributes back");
    }

    private static LeadUpdated leadUpdated(UUID lead, UUID contact, String topic, String need) {
        return new LeadUpdated(lead, contact, topic, "MARKETING_FORM", "OPEN", "telesales", null, null, null, null,
                need, null);
    }

    @Test
    void anErasureBeforeTheContactIsKnownKeepsItsLateCreationOut() throws Exception {
        UUID contact = UUID.randomUUID();
        String email = "early." + UUID.randomUUID() + "@example.com";
        send(contactEvents, Envelope.of(EventTypes.CONTACT_ERASED, "contact-service", Instant.now(), contact, 2,
                new ContactErased(contact)));
        await().atMost(ScoringTestSupport.PATIENCE).until(() -> contact(contact).get("erased_at") != null);
        Envelope<ContactCreated> late = Envelope.of(EventTypes.CONTACT_CREATED, "contact-service", Instant.now(),
                contact, 1, new ContactCreated(contact, email, "Ana", "Silva", "Acme", "Engineer", "PT", true));
        send(contactEvents, late);
        awaitProcessed(late.id());
        assertTombstone(contact, 2L);
        assertEquals(0, countContactsWithEmail(email));
    }

    /**
     * Before: an interaction sent after the erasure, naming the erased contact or its lead, was stored with its
     * attributes (and an e-mail, when it named one) and stayed for good.
     */
    @Test
    void anInteractionAfterAnErasureIsAcceptedAndNotStored() throws Exception {
        UUID contact = UUID.randomUUID();
        UUID lead = UUID.randomUUID();
        String email = "gone." + UUID.randomUUID() + "@example.com";
        send(contactEvents, Envelope.of(EventTypes.CONTACT_CREATED, "contact-service", Instant.now(), contact, 1,
                new ContactCreated(contact, email, "Ana", "Silva", "Acme", "Engineer", "PT", true)));
        send(leadEvents, leadCreated(lead, contact, "erasure-" + lead));
        await().atMost(ScoringTestSupport.PATIENCE).until(() -> !lead(lead).isEmpty());
        send(contactEvents, Envelope.of(EventTypes.CONTACT_ERASED, "contact-service", Instant.now(), contact, 2,
                new ContactErased(contact)));
        await().atMost(ScoringTestSupport.PATIENCE).until(() -> contact(contact).get("erased_at") != null);

        String byContact = "late-contact-" + contact;
        String byLead = "late-lead-" + lead;
        post("/interactions", """
                [{"id": "%s", "type": "PAGE_VISITED", "contactId": "%s", "email": "%s",
                  "attributes": {"url": "https://example.com/?who=%s"}},
                 {"id": "%s", "type": "EMAIL_OPENED", "leadId": "%s"}]""".formatted(byContact, contact, email, email,
                byLead, lead), 202);
        assertTrue(query("select id from interaction where id in (?, ?)", byContact, byLead).isEmpty(),
                "an interaction of an erased contact was stored");
        assertEquals(0, ((Number) query("select count(*) as n from interaction where email = ? "
                + "or cast(attributes as text) like ?", email, "%" + email + "%").get("n")).intValue());
    }

    @Test
    void aLateEventAboutAMergedDuplicateBringsNoPersonalDataBack() throws Exception {
        UUID survivor = UUID.randomUUID();
        UUID duplicate = UUID.randomUUID();
        String email = "duplicate." + UUID.randomUUID() + "@example.com";
        send(contactEvents, Envelope.of(EventTypes.CONTACT_CREATED, "contact-service", Instant.now(), survivor, 1,
                new ContactCreated(survivor, "survivor." + email, "Ana", "Silva", "Acme", "Engineer", "PT", true)));
        send(contactEvents, Envelope.of(EventTypes.CONTACT_MERGED, "contact-service", Instant.now(), survivor, 2,
                new ContactMerged(survivor, duplicate)));
        await().atMost(ScoringTestSupport.PATIENCE).until(() -> !contact(duplicate).isEmpty());
        // the duplicate's own creation, redelivered after the merge (it failed once, or another replica was slower)
        Envelope<ContactCreated> late = Envelope.of(EventTypes.CONTACT_CREATED, "contact-service", Instant.now(),
                duplicate, 1, new ContactCreated(duplicate, email, "Ana", "Silva", "Acme", "Engineer", "PT", true));
        send(contactEvents, late);
        awaitProcessed(late.id());
        Map<String, Object> row = contact(duplicate);
        assertNull(row.get("email"));
        assertEquals(Map.of(), new JsonObject((String) row.get("attributes")).getMap());
        assertEquals(0, countContactsWithEmail(email), "a merged duplicate's e-mail came back");
    }

    @Test
    void anOlderContactSnapshotDoesNotOverwriteANewerOne() throws Exception {
        UUID contact = UUID.randomUUID();
        String email = "order." + UUID.randomUUID() + "@example.com";
        send(contactEvents, Envelope.of(EventTypes.CONTACT_CREATED, "contact-service", Instant.now(), contact, 1,
                new ContactCreated(contact, email, "Ana", "Silva", "Acme", "Engineer", "PT", true)));
        send(contactEvents, Envelope.of(EventTypes.CONTACT_UPDATED, "contact-service", Instant.now(), contact, 3,
                new ContactUpdated(contact, email, "Ana", "Silva", null, "Acme", "IT Director", "Energy", "PT", true,
                        List.of("jobTitle"))));
        await().atMost(ScoringTestSupport.PATIENCE).until(() -> Long.valueOf(3).equals(contact(contact)
                .get("event_sequence")));
        Envelope<ContactUpdated> late = Envelope.of(EventTypes.CONTACT_UPDATED, "contact-service", Instant.now(),
                contact, 2, new ContactUpdated(contact, "other." + email, "Ana", "Silva", null, "Acme", "Engineer",
                        "Energy", "PT", true, List.of("jobTitle", "email")));
        send(contactEvents, late);
        awaitProcessed(late.id());
        Map<String, Object> row = contact(contact);
        assertEquals(email, row.get("email"));
        assertEquals("IT Director", new JsonObject((String) row.get("attributes")).getString("jobTitle"));
        assertEquals(3L, row.get("event_sequence"));
    }

    private void assertTombstone(UUID contact, long sequence) throws SQLException {
        Map<String, Object> row = contact(contact);
        assertNotNull(row.get("erased_at"));
        assertNull(row.get("email"));
        assertEquals(Map.of(), new JsonObject((String) row.get("attributes")).getMap());
        assertEquals(sequence, row.get("event_sequence"));
    }

    private void open(UUID lead, UUID contact, String name) {
        post("/interactions", "{\"id\": \"" + name + "-" + lead + "\", \"type\": \"EMAIL_OPENED\", \"leadId\": \""
                + lead + "\", \"contactId\": \"" + contact + "\"}", 202);
    }

    private static void send(MutinyEmitter<JsonObject> emitter, Envelope<?> event) {
        emitter.sendAndAwait(JsonObject.mapFrom(event));
    }

    private void awaitProcessed(UUID messageId) {
        await().atMost(ScoringTestSupport.PATIENCE).pollInterval(Duration.ofMillis(200))
                .until(() -> !query("select message_id from processed_message where message_id = ?", messageId)
                        .isEmpty());
    }

    private Map<String, Object> lead(UUID lead) throws SQLException {
        return query("select open, status, event_sequence, attributes_sequence, cast(attributes as text) as attributes "
                + "from tracked_lead where lead_id = ?", lead);
    }

    private Map<String, Object> contact(UUID contact) throws SQLException {
        return query("select email, event_sequence, erased_at, cast(attributes as text) as attributes "
                + "from contact_ref where contact_id = ?", contact);
    }

    private int countContactsWithEmail(String email) throws SQLException {
        return ((Number) query("select count(*) as n from contact_ref where email = ? or attributes ->> 'email' = ?",
                email, email).get("n")).intValue();
    }

    /** The first row's columns by name (empty when there is no row). */
    private Map<String, Object> query(String sql, Object... parameters) throws SQLException {
        try (Connection c = db.getConnection(); PreparedStatement s = c.prepareStatement(sql)) {
            for (int i = 0; i < parameters.length; i++) {
                s.setObject(i + 1, parameters[i]);
            }
            try (ResultSet r = s.executeQuery()) {
                Map<String, Object> row = new HashMap<>();
                if (r.next()) {
                    for (int i = 1; i <= r.getMetaData().getColumnCount(); i++) {
                        row.put(r.getMetaData().getColumnLabel(i), r.getObject(i));
                    }
                }
                return row;
            }
        }
    }
}
