package io.leadsuite.scoring.service;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.LockModeType;

import io.leadsuite.contracts.Capture;
import io.leadsuite.contracts.ContactCreated;
import io.leadsuite.contracts.EmailAddress;
import io.leadsuite.contracts.LeadCaptured;
import io.leadsuite.contracts.LeadCreated;
import io.leadsuite.kit.event.EventCodec.UnreadableEventException;
import io.leadsuite.scoring.domain.ContactRef;
import io.leadsuite.scoring.domain.InteractionTypes;
import io.leadsuite.scoring.domain.TrackedLead;
import io.leadsuite.scoring.service.LeadScorer.Application;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;

/**
 * Applies the events scoring consumes. Each method runs inside the consumer's transaction, after the inbox recorded
 * the message id.
 */
@ApplicationScoped
public class EventIntake {

    private final ScoringLocks locks;
    private final InteractionStore interactions;
    private final LeadScorer scorer;

    public EventIntake(ScoringLocks locks, InteractionStore interactions, LeadScorer scorer) {
        this.locks = locks;
        this.interactions = interactions;
        this.scorer = scorer;
    }

    /**
     * Remembers the lead, records its capture (if any) as a FORM_SUBMITTED interaction, and applies every stored
     * interaction that counts for it and was not applied yet (interactions may arrive before their lead).
     */
    public Uni<Void> leadCreated(LeadCreated event) {
        require(event.leadId() != null && event.contactId() != null, "lead.created without leadId or contactId");
        boolean open = event.status() == null || "OPEN".equals(event.status().toUpperCase(Locale.ROOT));
        return lockLeadAndContact(event.leadId(), event.contactId())
                .chain(email -> TrackedLead.<TrackedLead> findById(event.leadId(), LockModeType.PESSIMISTIC_WRITE)
                        .chain(existing -> {
                            if (existing != null) {
                                return Uni.createFrom().voidItem();
                            }
                            TrackedLead lead = new TrackedLead();
                            lead.leadId = event.leadId();
                            lead.contactId = event.contactId();
                            lead.topic = event.topic() == null ? null : event.topic().strip();
                            lead.open = open;
                            lead.createdAt = Instant.now();
                            lead.updatedAt = lead.createdAt;
                            return lead.persist().chain(() -> Panache.getSession().chain(s -> s.flush()));
                        })
                        .chain(() -> storeCapture(event.leadId(), event.contactId(), event.topic(), event.capture()))
                        .chain(() -> catchUp(List.of(event.leadId()))));
    }

    /** Records a further submission as a FORM_SUBMITTED interaction, scored now if the lead is known. */
    public Uni<Void> leadCaptured(LeadCaptured event) {
        require(event.leadId() != null && event.contactId() != null && event.capture() != null,
                "lead.captured without leadId, contactId or capture");
        return lockLeadAndContact(event.leadId(), event.contactId())
                .chain(email -> storeCapture(event.leadId(), event.contactId(), event.topic(), event.capture()))
                .chain(() -> catchUp(List.of(event.leadId())));
    }

    /**
     * Remembers the contact's e-mail, and applies the interactions that named the contact by that e-mail to its open
     * leads.
     */
    public Uni<Void> contactCreated(ContactCreated event) {
        require(event.contactId() != null, "contact.created without contactId");
        String email = EmailAddress.normalise(event.email())
                .orElseThrow(() -> new UnreadableEventException("contact.created without a valid e-mail"));
        return locks.acquire(List.of(ScoringLocks.contact(event.contactId()), ScoringLocks.email(email)))
                .chain(() -> ContactRef.<ContactRef> findById(event.contactId()))
                .chain(existing -> {
                    if (existing != null) {
                        existing.email = email;
                        return Uni.createFrom().voidItem();
                    }
                    ContactRef ref = new ContactRef();
                    ref.contactId = event.contactId();
                    ref.email = email;
                    ref.createdAt = Instant.now();
                    return ref.persist().replaceWithVoid();
                })
                .chain(() -> Panache.getSession().chain(s -> s.flush()))
                .chain(() -> Panache.getSession().chain(session -> session.createSelectionQuery(
                        "select t.leadId from TrackedLead t where t.contactId = ?1 and t.open = true", UUID.class)
                        .setParameter(1, event.contactId()).getResultList()))
                .chain(this::catchUp);
    }

    /** Locks the lead and its contact, then the contact's e-mail if known (global lock order); yields the e-mail. */
    private Uni<String> lockLeadAndContact(UUID leadId, UUID contactId) {
        return locks.acquire(List.of(ScoringLocks.lead(leadId), ScoringLocks.contact(contactId)))
                .chain(() -> ContactRef.<ContactRef> findById(contactId))
                .chain(ref -> ref == null ? Uni.createFrom().nullItem()
                        : locks.acquire(List.of(ScoringLocks.email(ref.email))).replaceWith(ref.email));
    }

    private Uni<Void> storeCapture(UUID leadId, UUID contactId, String topic, Capture capture) {
        if (capture == null) {
            return Uni.createFrom().voidItem();
        }
        require(capture.captureId() != null, "capture without captureId");
        Map<String, Object> attributes = new java.util.LinkedHashMap<>();
        if (capture.source() != null) {
            attributes.put("source", capture.source());
        }
        if (capture.sourceRef() != null) {
            attributes.put("sourceRef", capture.sourceRef());
        }
        return interactions.store(new InteractionInput(capture.captureId().toString(),
                InteractionTypes.FORM_SUBMITTED, contactId, null, leadId, topic == null ? null : topic.strip(),
                capture.at() == null ? Instant.now() : capture.at(), attributes)).replaceWithVoid();
    }

    /** Applies to each tracked, open lead the stored interactions not yet applied to it. */
    private Uni<Void> catchUp(List<UUID> leadIds) {
        List<UUID> ordered = leadIds.stream().distinct().sorted(Comparator.comparing(UUID::toString)).toList();
        List<Application> applications = new ArrayList<>();
        return LeadScorer.each(ordered, leadId -> TrackedLead.<TrackedLead> findById(leadId,
                LockModeType.PESSIMISTIC_WRITE)
                .chain(lead -> lead == null || !lead.open ? Uni.createFrom().voidItem()
                        : ContactRef.<ContactRef> findById(lead.contactId)
                                .chain(ref -> interactions.pendingFor(lead.leadId, lead.contactId,
                                        ref == null ? null : ref.email, lead.topic))
                                .invoke(pending -> pending
                                        .forEach(facts -> applications.add(new Application(facts, leadId))))
                                .replaceWithVoid()))
                .chain(() -> scorer.apply(ordered, applications));
    }

    private static void require(boolean condition, String message) {
        if (!condition) {
            throw new UnreadableEventException(message);
        }
    }
}
