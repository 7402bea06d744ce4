package io.leadsuite.scoring.domain;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

import org.junit.jupiter.api.Test;

import io.leadsuite.scoring.domain.TrackedLead.LeadEvent;

/** The per-subject order rules of the lead and contact projections, without a database. */
class ProjectionOrderRulesTest {

    private static final UUID CONTACT = UUID.randomUUID();

    private static TrackedLead lead() {
        TrackedLead lead = new TrackedLead();
        lead.leadId = UUID.randomUUID();
        lead.contactId = CONTACT;
        lead.open = true;
        lead.status = "OPEN";
        lead.topic = "solar";
        lead.attributesJson = "{\"topic\":\"solar\",\"status\":\"OPEN\",\"stage\":\"INQUIRY\"}";
        lead.eventSequence = 1;
        lead.stageSequence = 1;
        lead.attributesSequence = 1;
        return lead;
    }

    private static Map<String, Object> set(String topic, Object budget) {
        Map<String, Object> set = new HashMap<>();
        set.put("topic", topic);
        set.put("budget", budget);
        set.put("owner", null);
        return set;
    }

    @Test
    void aLowerSequenceDoesNotReopenAClosedLead() {
        TrackedLead lead = lead();
        assertTrue(lead.apply(new LeadEvent(3, CONTACT, "DISQUALIFIED", "INQUIRY", null)).any());
        assertFalse(lead.open);
        assertFalse(lead.apply(new LeadEvent(3, CONTACT, "OPEN", null, null)).any(), "the same sequence again");
        lead.apply(new LeadEvent(2, CONTACT, "OPEN", null, set("solar", 10)));
        assertFalse(lead.open);
        assertEquals("DISQUALIFIED", lead.status);
        assertEquals("DISQUALIFIED", lead.attributes().get("status"));
        assertEquals(3, lead.eventSequence);
    }

    @Test
    void eachPartTakesOnlyWhatIsNewerForIt() {
        TrackedLead lead = lead();
        assertTrue(lead.apply(new LeadEvent(5, CONTACT, "OPEN", null, set("solar ", 25000))).any());
        assertEquals(25000, lead.attributes().get("budget"));
        // a stage change made before that update arrives late: its stage is still the newest stage known
        assertTrue(lead.apply(new LeadEvent(4, UUID.randomUUID(), "LOST", "CLOSED_LOST", null)).any());
        assertEquals("CLOSED_LOST", lead.attributes().get("stage"));
        assertEquals("OPEN", lead.status, "its status is older than the update's");
        assertTrue(lead.open);
        assertEquals(CONTACT, lead.contactId, "its contact is older than the update's");
        assertEquals(4, lead.stageSequence);
        // an older attribute set changes nothing
        assertFalse(lead.apply(new LeadEvent(3, CONTACT, "OPEN", null, set("wind", 1))).any());
        assertEquals("solar", lead.topic);
        assertEquals(25000, lead.attributes().get("budget"));
        assertEquals(5, lead.eventSequence);
        assertEquals(5, lead.attributesSequence);
    }

    @Test
    void aNewerAttributeSetReplacesTheWholeSet() {
        TrackedLead lead = lead();
        lead.apply(new LeadEvent(2, CONTACT, "OPEN", null, set("solar", 25000)));
        assertTrue(lead.apply(new LeadEvent(3, CONTACT, "OPEN", null, set("wind", null))).any());
        assertEquals("wind", lead.topic);
        assertFalse(lead.attributes().containsKey("budget"), "a null clears it");
        assertEquals("INQUIRY", lead.attributes().get("stage"), "the stage is not part of the set");
    }

    @Test
    void unnumberedEventsFromOlderProducersApplyAndLowerNothing() {
        TrackedLead lead = lead();
        lead.apply(new LeadEvent(4, CONTACT, "OPEN", "MQL", null));
        assertTrue(lead.apply(new LeadEvent(0, CONTACT, "LOST", "CLOSED_LOST", null)).any());
        assertFalse(lead.open);
        assertEquals("CLOSED_LOST", lead.attributes().get("stage"));
        assertEquals(4, lead.eventSequence);
        assertEquals(4, lead.stageSequence);
    }

    @Test
    void anEventThatRepeatsTheStateChangesNothing() {
        TrackedLead lead = lead();
        assertFalse(lead.apply(new LeadEvent(2, CONTACT, "OPEN", "INQUIRY", null)).any());
        assertEquals(2, lead.eventSequence, "the sequence still moves on");
    }

    @Test
    void anEventSaysWhatItChanged() {
        TrackedLead lead = lead();
        // a new stage: an attribute, not the scope (contact, topic, open)
        assertEquals(new TrackedLead.Change(true, false, Set.of("stage")),
                lead.apply(new LeadEvent(2, CONTACT, "OPEN", "MQL", null)));
        // a budget appears, the topic is the same
        assertEquals(new TrackedLead.Change(true, false, Set.of("budget")),
                lead.apply(new LeadEvent(3, CONTACT, "OPEN", null, set("solar", 10))));
        // a new topic changes which models score the lead
        assertEquals(new TrackedLead.Change(true, true, Set.of("topic")),
                lead.apply(new LeadEvent(4, CONTACT, "OPEN", null, set("wind", 10))));
        // closing it too, and its status and stage are attributes LEAD rules may test
        assertEquals(new TrackedLead.Change(true, true, Set.of("status", "stage")),
                lead.apply(new LeadEvent(5, CONTACT, "LOST", "CLOSED_LOST", null)));
        assertEquals(TrackedLead.Change.NONE, lead.apply(new LeadEvent(6, CONTACT, "LOST", "CLOSED_LOST", null)));
    }

    @Test
    void onlyLeadRulesReadLeadAttributes() {
        CompiledModel model = new CompiledModel(UUID.randomUUID(), "Fit", 1, List.of(), 50, List.of(), List.of(
                new ScoringRule("budget", RuleKind.LEAD, null, "budget", Operator.GREATER_OR_EQUAL, 10000, 20, null,
                        null),
                new ScoringRule("country", RuleKind.DEMOGRAPHIC, null, "stage", null, null, 5, null, null),
                new ScoringRule("opened", RuleKind.BEHAVIOUR, "EMAIL_OPENED", "stage", null, null, 1, null, null)));
        assertTrue(model.readsLeadFacts(Set.of("stage", "budget")));
        assertFalse(model.readsLeadFacts(Set.of("stage", "status")), "only a LEAD rule tests the lead's attributes");
        assertFalse(model.readsLeadFacts(Set.of()));
    }

    @Test
    void theLeadOfAnErasedContactStaysAsItIs() {
        TrackedLead lead = lead();
        lead.status = TrackedLead.ERASED;
        lead.open = false;
        assertFalse(lead.apply(new LeadEvent(9, CONTACT, "OPEN", "MQL", set("solar", 1))).any());
        assertFalse(lead.open);
        assertEquals(TrackedLead.ERASED, lead.status);
    }

    @Test
    void aContactTakesOnlyNewerSnapshotsAndNoneOnceErased() {
        ContactRef contact = new ContactRef();
        contact.take(3, "ana@example.com", "{\"jobTitle\":\"Director\"}", Instant.now());
        assertFalse(contact.accepts(2));
        assertFalse(contact.accepts(3));
        assertTrue(contact.accepts(4));
        assertTrue(contact.accepts(0), "unnumbered: older producers");
        contact.email = null;
        contact.attributesJson = "{}";
        contact.erasedAt = Instant.now();
        assertFalse(contact.accepts(4));
        assertFalse(contact.accepts(0));
        assertNull(contact.email);
    }
}
