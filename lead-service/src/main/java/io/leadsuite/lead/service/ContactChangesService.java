package io.leadsuite.lead.service;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Function;
import java.util.stream.Collectors;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.LockModeType;

import org.jboss.logging.Logger;

import io.leadsuite.contracts.ContactCreated;
import io.leadsuite.contracts.ContactErased;
import io.leadsuite.contracts.ContactMerged;
import io.leadsuite.contracts.ContactUpdated;
import io.leadsuite.contracts.Envelope;
import io.leadsuite.contracts.EventTypes;
import io.leadsuite.contracts.LeadUpdated;
import io.leadsuite.kit.outbox.Outbox;
import io.leadsuite.lead.domain.Cause;
import io.leadsuite.lead.domain.Lead;
import io.leadsuite.lead.domain.LeadHistoryEntry;
import io.leadsuite.lead.domain.LeadStatus;
import io.leadsuite.lead.repository.ContactRepository;
import io.leadsuite.lead.repository.LeadRepository;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.quarkus.panache.common.Sort;
import io.smallrye.mutiny.Uni;

/**
 * What contact-service's merges and erasures mean for leads. Runs in the consumer's transaction (with the inbox
 * record), so a redelivered event changes nothing.
 * <ul>
 * <li>Merge: the duplicate's leads move to the survivor. Where both have an open lead on one topic, the more advanced
 * one (accepted, then sales-ready, then further in its flow, then the older) stays open and the other is closed
 * (DISQUALIFIED, reason "merged into ..."); both keep their history and get an entry saying so.</li>
 * <li>Erasure: the contact's open leads are closed (DISQUALIFIED, "contact erased"); what a lead holds that may be
 * personal data (the source reference, qualification need, close and rejection reasons, free-text
 * reasons in its history, the bodies of its webhook deliveries, its events not relayed yet) is removed and pending
 * deliveries are cancelled. The lead rows stay (ids, stages and times, no personal data) so funnels still add up. The
 * contact keeps a tombstone ({@code erased_contact}) and each lead its {@code erasedAt}: nothing brings the data
 * back.</li>
 * </ul>
 */
@ApplicationScoped
public class ContactChangesService {

    static final String MERGED = "MERGED";
    static final String ERASED = "ERASED";
    static final String CONTACT_ACTOR = "contact-service";
    private static final Logger LOG = Logger.getLogger(ContactChangesService.class);

    @Inject
    FlowCatalog flows;
    @Inject
    Outbox outbox;
    @Inject
    ContactRepository contacts;
    @Inject
    LeadRepository leadRows;

    public Uni<Void> merged(Envelope<ContactMerged> event) {
        UUID survivor = event.data().survivorId();
        UUID duplicate = event.data().duplicateId();
        if (survivor.equals(duplicate)) {
            return Uni.createFrom().voidItem();
        }
        Instant now = Instant.now();
        return Lead.<Lead> find("contactId in (?1, ?2)", Sort.by("createdAt").and("id"), survivor, duplicate)
                .withLock(LockModeType.PESSIMISTIC_WRITE).list()
                .chain(leads -> {
                    List<Lead> moving = leads.stream().filter(l -> l.contactId.equals(duplicate)).toList();
                    if (moving.isEmpty()) {
                        return Uni.createFrom().voidItem();
                    }
                    Map<String, Lead> survivorOpen = leads.stream()
                            .filter(l -> l.contactId.equals(survivor) && l.status.isOpen())
                            .collect(Collectors.toMap(l -> l.topic, Function.identity(), (a, b) -> a));
                    Uni<Void> chain = Uni.createFrom().voidItem();
                    for (Lead lead : moving) {
                        Lead other = lead.status.isOpen() ? survivorOpen.get(lead.topic) : null;
                        chain = chain.chain(() -> other == null ? move(lead, survivor, duplicate, now)
                                : combine(lead, other, survivor, duplicate, now));
                    }
                    return chain;
                });
    }

    /** Two open leads of one person on one topic become one: the more advanced stays. */
    private Uni<Void> combine(Lead fromDuplicate, Lead ofSurvivor, UUID survivor, UUID duplicate, Instant now) {
        return Uni.combine().all().unis(flows.get(fromDuplicate.flowId, fromDuplicate.flowVersion),
                flows.get(ofSurvivor.flowId, ofSurvivor.flowVersion)).asTuple().chain(f -> {
                    Comparator<Lead> advanced = Comparator
                            .<Lead> comparingInt(l -> l.status == LeadStatus.ACCEPTED ? 1 : 0)
                            .thenComparingInt(l -> l.salesReady ? 1 : 0)
                            .thenComparingInt(l -> stageIndex(l == fromDuplicate ? f.getItem1() : f.getItem2(),
                                    l.stage))
                            .thenComparing(l -> l.createdAt, Comparator.reverseOrder());
                    boolean keepDuplicates = advanced.compare(fromDuplicate, ofSurvivor) > 0;
                    Lead keeper = keepDuplicates ? fromDuplicate : ofSurvivor;
                    Lead closed = keepDuplicates ? ofSurvivor : fromDuplicate;
                    closed.status = LeadStatus.DISQUALIFIED;
                    closed.contactId = survivor;
                    closed.updatedAt = now;
                    return history(closed, now, MERGED, "Contacts merged: closed, merged into lead " + keeper.id)
                            .chain(() -> history(keeper, now, MERGED,
                                    "Contacts merged: lead " + closed.id + " on the same topic merged into this one"))
                            .chain(() -> updated(closed, now))
                            // the closed lead leaves the one-open-lead-per-topic index before the keeper may move in
                            .chain(() -> Panache.getSession().chain(s -> s.flush()))
                            .chain(() -> keeper == fromDuplicate ? move(keeper, survivor, duplicate, now)
                                    : Uni.createFrom().voidItem());
                });
    }

    private Uni<Void> move(Lead lead, UUID survivor, UUID duplicate, Instant now) {
        lead.contactId = survivor;
        lead.updatedAt = now;
        return history(lead, now, MERGED, "Contact " + duplicate + " merged into contact " + survivor)
                .chain(() -> updated(lead, now));
    }

    public Uni<Void> erased(Envelope<ContactErased> event) {
        UUID contact = event.data().contactId();
        Instant now = Instant.now();
        return contacts.lock(contact, true)
                .chain(() -> contacts.erased(contact, now))
                .chain(() -> Lead.<Lead> find("contactId = ?1", Sort.by("id"), contact)
                        .withLock(LockModeType.PESSIMISTIC_WRITE).list())
                .chain(leads -> leads.isEmpty() ? Uni.createFrom().voidItem() : eraseLeads(contact, leads, now));
    }

    /**
     * Removes what the leads hold about the person: free text on the lead and in its history, the bodies of its
     * webhook deliveries (pending ones are cancelled: they would still send it), its events not relayed yet and its
     * dead-lettered events (their payloads carry reasons, needs, source references); then records the erasure and
     * publishes lead.updated for each lead it closed.
     */
    private Uni<Void> eraseLeads(UUID contact, List<Lead> leads, Instant now) {
        Uni<Void> chain = leadRows.erasePersonalData(leads.stream().map(l -> l.id).toList());
        List<Lead> closed = new ArrayList<>();
        for (Lead lead : leads) {
            if (lead.erase(now)) {
                closed.add(lead);
            }
            chain = chain.chain(() -> history(lead, now, ERASED, closed.contains(lead)
                    ? "Contact erased: lead closed, personal data removed"
                    : "Contact erased: personal data removed"));
        }
        for (Lead lead : closed) {
            chain = chain.chain(() -> updated(lead, now));
        }
        LOG.infof("Contact %s erased: %d leads cleaned, %d closed", contact, leads.size(), closed.size());
        return chain;
    }

    /**
     * The contacts' countries (routing reads them) and whether each has confirmed marketing consent (nurture triggers
     * read it), as the batch's {@code contact.created} and {@code contact.updated} report them, written for the whole
     * batch at once; a later report wins. Other events of the batch are skipped here (they were applied one by one):
     * an erasure's tombstone keeps its contact out whichever came first.
     */
    public Uni<Void> reported(List<Envelope<?>> batch) {
        List<ContactRepository.Report> reports = new ArrayList<>();
        for (Envelope<?> event : batch) {
            if (event.data() instanceof ContactCreated created) {
                reports.add(new ContactRepository.Report(created.contactId(), created.country(),
                        created.marketingConsent(), event.time()));
            } else if (event.data() instanceof ContactUpdated updated) {
                reports.add(new ContactRepository.Report(updated.contactId(), updated.country(),
                        updated.marketingConsent(), event.time()));
            }
        }
        return contacts.reported(reports);
    }

    private static int stageIndex(io.leadsuite.lead.domain.Flow flow, String stage) {
        for (int i = 0; i < flow.stages().size(); i++) {
            if (flow.stages().get(i).id().equals(stage)) {
                return i;
            }
        }
        return -1;
    }

    private static Uni<Void> history(Lead lead, Instant at, String kind, String reason) {
        LeadHistoryEntry entry = new LeadHistoryEntry();
        entry.leadId = lead.id;
        entry.flowId = lead.flowId;
        entry.at = at;
        entry.kind = kind;
        entry.fromStage = lead.stage;
        entry.toStage = lead.stage;
        entry.cause = Cause.SYSTEM.name();
        entry.actor = CONTACT_ACTOR;
        entry.reason = reason;
        return entry.persist().replaceWithVoid();
    }

    /** lead.updated with the lead's attributes after the change (qualification is not this class's concern). */
    private Uni<Void> updated(Lead lead, Instant at) {
        LeadUpdated payload = new LeadUpdated(lead.id, lead.contactId, lead.topic, lead.source, lead.status.name(),
                lead.team, lead.owner, null, null, null, null, null);
        return outbox.add(Envelope.of(EventTypes.LEAD_UPDATED, LeadEvents.SOURCE, at, lead.id,
                lead.nextEventSequence(), payload));
    }
}
