package io.leadsuite.scoring.service;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.LockModeType;

import org.hibernate.reactive.mutiny.Mutiny;

import io.leadsuite.contracts.Capture;
import io.leadsuite.contracts.ContactCreated;
import io.leadsuite.contracts.ContactErased;
import io.leadsuite.contracts.ContactMerged;
import io.leadsuite.contracts.ContactUpdated;
import io.leadsuite.contracts.EmailAddress;
import io.leadsuite.contracts.Envelope;
import io.leadsuite.contracts.LeadCaptured;
import io.leadsuite.contracts.LeadCreated;
import io.leadsuite.contracts.LeadEvent;
import io.leadsuite.contracts.LeadStageChanged;
import io.leadsuite.contracts.LeadUpdated;
import io.leadsuite.kit.event.EventCodec.UnreadableEventException;
import io.leadsuite.scoring.domain.InteractionInput;
import io.leadsuite.scoring.domain.InteractionTypes;
import io.leadsuite.scoring.domain.ScoreCause;
import io.leadsuite.scoring.domain.TrackedLead;
import io.leadsuite.scoring.repository.ContactRefRepository;
import io.leadsuite.scoring.repository.InteractionRepository;
import io.leadsuite.scoring.repository.TrackedLeadRepository;
import io.leadsuite.scoring.service.LeadScorer.Application;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.common.vertx.ContextLocals;
import io.smallrye.mutiny.Uni;
import io.vertx.core.json.JsonObject;

/**
 * Applies the events scoring consumes. Each method runs inside the consumer's transaction, after the inbox recorded
 * the message id.
 */
@ApplicationScoped
public class EventIntake {

    /** The status of a tracked lead whose contact was erased; it stays so. */
    static final String ERASED = TrackedLead.ERASED;

    private final ScoringLocks locks;
    private final InteractionRepository interactions;
    private final TrackedLeadRepository trackedLeads;
    private final ContactRefRepository contacts;
    private final LeadScorer scorer;
    /** The Vert.x context local that holds what a batch remembers ({@link Batch}, begun by {@link #deferCatchUps}). */
    private static final String BATCH = EventIntake.class.getName() + ".batch";
    private final java.time.Duration formCaptureWindow;

    public EventIntake(ScoringLocks locks, InteractionRepository interactions, TrackedLeadRepository trackedLeads,
            ContactRefRepository contacts, LeadScorer scorer, io.leadsuite.scoring.config.ScoringConfig config) {
        this.locks = locks;
        this.interactions = interactions;
        this.trackedLeads = trackedLeads;
        this.contacts = contacts;
        this.scorer = scorer;
        this.formCaptureWindow = config.formCaptureWindow();
    }

    /**
     * Remembers the lead, records its capture (if any) as a FORM_SUBMITTED interaction, and applies every stored
     * interaction that counts for it and was not applied yet (interactions may arrive before their lead): at the end of
     * the batch when one was begun ({@link #deferCatchUps}).
     */
    public Uni<Void> leadCreated(LeadCreated event, long sequence) {
        require(event.leadId() != null && event.contactId() != null, "lead.created without leadId or contactId");
        boolean open = event.status() == null || "OPEN".equals(event.status().toUpperCase(Locale.ROOT));
        return lockLeadAndContact(event.leadId(), event.contactId())
                .chain(contact -> {
                    TrackedLead lead = new TrackedLead();
                    lead.leadId = event.leadId();
                    lead.contactId = event.contactId();
                    lead.topic = event.topic() == null ? null : event.topic().strip();
                    lead.open = open;
                    lead.status = event.status();
                    lead.attributesJson = new JsonObject(leadFacts(event)).encode();
                    lead.eventSequence = Math.max(0, sequence);
                    lead.stageSequence = lead.eventSequence;
                    lead.attributesSequence = lead.eventSequence;
                    if (contact.erased()) {
                        // lead-service's events travel on another queue than the erasure of its contact
                        erase(lead);
                    }
                    lead.createdAt = Instant.now();
                    lead.updatedAt = lead.createdAt;
                    // inserted unless tracked already: a later event (or this one, redelivered) tracked it, and
                    // lead.created is the first event of a lead, older than anything applied; not read first
                    return trackedLeads.trackIfNew(lead)
                            .invoke(tracked -> {
                                if (tracked) {
                                    trackedNow(event.leadId());
                                }
                            })
                            .chain(() -> contact.erased() ? Uni.createFrom().voidItem()
                                    : storeCapture(event.leadId(), event.contactId(), event.topic(), event.capture()))
                            .chain(() -> catchUpNowOrDeferred(event.leadId()));
                });
    }

    /**
     * Records a further submission as a FORM_SUBMITTED interaction, scored if the lead is known (at the end of the
     * batch when one was begun, {@link #deferCatchUps}).
     */
    public Uni<Void> leadCaptured(LeadCaptured event) {
        require(event.leadId() != null && event.contactId() != null && event.capture() != null,
                "lead.captured without leadId, contactId or capture");
        // a capture is an interaction, not a change of the lead's state: counted once by its id whatever its
        // sequence, unless its contact was erased
        return lockLeadAndContact(event.leadId(), event.contactId())
                .chain(contact -> contact.erased() ? Uni.createFrom().voidItem()
                        : storeCapture(event.leadId(), event.contactId(), event.topic(), event.capture())
                                .chain(() -> catchUpNowOrDeferred(event.leadId())));
    }

    /**
     * Starts a batch of events (a consumer's unit of work, on its own Vert.x context): from here until
     * {@link #catchUpDeferred}, the leads that {@link #leadCreated} and {@link #leadCaptured} track or give a capture
     * are caught up once, together, at the end of the batch, instead of once per event. Outside a batch (no deferral
     * started) they are caught up at once.
     */
    public Uni<Void> deferCatchUps() {
        ContextLocals.put(BATCH, new Batch());
        return Uni.createFrom().voidItem();
    }

    /**
     * What a batch of events (a consumer's unit of work, one transaction) remembers from {@link #deferCatchUps} to
     * {@link #catchUpDeferred}, on its own Vert.x context.
     */
    private static final class Batch {
        /** The leads whose catch-up waits for the end of the batch. */
        final Set<UUID> deferred = new LinkedHashSet<>();
        /**
         * The leads the batch's transaction began tracking and no scoring run of it scored yet: nothing was applied to
         * them ({@link LeadScorer#apply(TrackedLeadRepository.Locked, List, Set)}). A run takes its leads out
         * ({@link #catchUp(List, ScoreCause, Set)}): a later run in the batch (its topic changed, say) must read what
         * that one applied.
         */
        final Set<UUID> trackedNow = new HashSet<>();
        /**
         * The contacts of the batch's lead events as {@link #lockAll} read them under their locks (empty until then,
         * emptied when an event of the batch changes contact rows, {@link #forgetLoaded}).
         */
        final Map<UUID, ContactRefRepository.ContactStatus> contacts = new HashMap<>();
        /**
         * The open leads of the contacts of the batch's {@code contact.created} and {@code contact.updated}, as
         * {@link #lockAll} read them under the contacts' locks, in one statement for all of them: a snapshot taken
         * catches them up without asking for each contact's (emptied when a merge or an erasure of the batch moves or
         * closes leads, {@link #forgetOpenLeads}).
         */
        final Map<UUID, List<UUID>> openLeads = new HashMap<>();
    }

    private static Optional<Batch> batch() {
        return ContextLocals.get(BATCH);
    }

    /** Remembers, for the batch's catch-ups, that this transaction began tracking the lead. */
    private static void trackedNow(UUID leadId) {
        batch().ifPresent(batch -> batch.trackedNow.add(leadId));
    }

    /**
     * Ends a batch begun by {@link #deferCatchUps}: applies the stored interactions that count for its deferred leads
     * in one scoring pass for all of them (one lock statement, one read of their scores and hits, one write of each
     * kind, one {@code score.changed} per lead whose score moved).
     */
    public Uni<Void> catchUpDeferred(List<Envelope<?>> applied) {
        Optional<Batch> batch = batch();
        ContextLocals.remove(BATCH);
        return batch.isEmpty() || batch.get().deferred.isEmpty() ? Uni.createFrom().voidItem()
                : catchUp(List.copyOf(batch.get().deferred), ScoreCause.INTERACTION, batch.get().trackedNow);
    }

    /** Catches the lead up now, or at the end of the batch when one was begun ({@link #deferCatchUps}). */
    private Uni<Void> catchUpNowOrDeferred(UUID leadId) {
        Optional<Batch> batch = batch();
        if (batch.isPresent()) {
            batch.get().deferred.add(leadId);
            return Uni.createFrom().voidItem();
        }
        return catchUp(List.of(leadId));
    }

    /**
     * Catches up now a lead whose catch-up was deferred, before another event of the same batch changes it: what was
     * captured while the lead was open counts, as it would have without the deferral. Yields whether it did: the
     * lead's row is then locked and held in the session.
     */
    private Uni<Boolean> catchUpIfDeferred(UUID leadId) {
        Optional<Batch> batch = batch();
        return batch.isPresent() && batch.get().deferred.remove(leadId)
                ? catchUp(List.of(leadId), ScoreCause.INTERACTION, batch.get().trackedNow).replaceWith(true)
                : Uni.createFrom().item(false);
    }

    /**
     * Remembers the contact's e-mail, and applies the interactions that named the contact by that e-mail to its open
     * leads.
     */
    public Uni<Void> contactCreated(ContactCreated event, long sequence) {
        Map<String, Object> facts = new LinkedHashMap<>();
        facts.put("firstName", event.firstName());
        facts.put("lastName", event.lastName());
        facts.put("company", event.company());
        facts.put("jobTitle", event.jobTitle());
        facts.put("country", event.country());
        facts.put("marketingConsent", event.marketingConsent());
        return contactSnapshot("contact.created", event.contactId(), event.email(), facts, sequence,
                ScoreCause.INTERACTION);
    }

    /**
     * Keeps the contact's demographic snapshot (DEMOGRAPHIC rules) and e-mail up to date, re-evaluates the rules for
     * its open leads and applies interactions that named its (possibly new) e-mail.
     */
    public Uni<Void> contactUpdated(ContactUpdated event, long sequence) {
        Map<String, Object> facts = new LinkedHashMap<>();
        facts.put("firstName", event.firstName());
        facts.put("lastName", event.lastName());
        facts.put("phone", event.phone());
        facts.put("company", event.company());
        facts.put("jobTitle", event.jobTitle());
        facts.put("industry", event.industry());
        facts.put("country", event.country());
        facts.put("marketingConsent", event.marketingConsent());
        return contactSnapshot("contact.updated", event.contactId(), event.email(), facts, sequence,
                ScoreCause.ATTRIBUTES);
    }

    /**
     * Takes a contact event's snapshot (its facts and its e-mail, normalised) unless the contact's row is newer (a
     * higher sequence applied) or a tombstone (erased or merged: its personal data never comes back,
     * {@link ContactRefRepository#takeSnapshot}); once taken, the contact's open leads catch up: the interactions that
     * named the e-mail are applied and the rules re-evaluated, for {@code cause}.
     */
    private Uni<Void> contactSnapshot(String type, UUID contactId, String rawEmail, Map<String, Object> facts,
            long sequence, ScoreCause cause) {
        require(contactId != null, type + " without contactId");
        String email = EmailAddress.normalise(rawEmail)
                .orElseThrow(() -> new UnreadableEventException(type + " without a valid e-mail"));
        facts.put("email", email);
        // one upsert, not a find and an insert or update: the flush before it writes anything pending, and the
        // session is emptied after it, so no copy of the row loaded earlier in the transaction outlives it
        return locks.acquire(List.of(ScoringLocks.contact(contactId), ScoringLocks.email(email)))
                .chain(EventIntake::flush)
                .chain(() -> contacts.takeSnapshot(contactId, sequence, email,
                        new JsonObject(withoutNulls(facts)).encode(), Instant.now()))
                .chain(taken -> !taken ? Uni.createFrom().voidItem()
                        : openLeadsOf(contactId)
                                .call(EventIntake::forgetLoaded)
                                .chain(leads -> catchUp(leads, cause)));
    }

    /** The contact's open leads: as the batch read them at its start ({@link #lockAll}), or read now. */
    private Uni<List<UUID>> openLeadsOf(UUID contactId) {
        List<UUID> read = batch().map(batch -> batch.openLeads.get(contactId)).orElse(null);
        return read != null ? Uni.createFrom().item(read) : trackedLeads.openLeadsOf(contactId);
    }

    /**
     * The duplicate's interactions and leads now belong to the survivor: they move over, and the survivor's open leads
     * catch up with the interactions that name the contact without a lead.
     */
    public Uni<Void> contactMerged(ContactMerged event) {
        require(event.survivorId() != null && event.duplicateId() != null, "contact.merged without both ids");
        if (event.survivorId().equals(event.duplicateId())) {
            return Uni.createFrom().voidItem();
        }
        return locks.acquire(List.of(ScoringLocks.contact(event.survivorId()),
                ScoringLocks.contact(event.duplicateId())))
                .chain(EventIntake::flush)
                .chain(() -> contacts.emailOf(event.duplicateId()))
                .chain(duplicateEmail -> interactions.moveToContact(event.duplicateId(), duplicateEmail,
                        event.survivorId()))
                .chain(() -> trackedLeads.moveToContact(event.duplicateId(), event.survivorId()))
                .chain(() -> contacts.mergeInto(event.duplicateId(), event.survivorId(), Instant.now()))
                .chain(EventIntake::forgetOpenLeads)
                .chain(() -> trackedLeads.openLeadsOf(event.survivorId()))
                .chain(leads -> catchUp(leads, ScoreCause.ATTRIBUTES));
    }

    /**
     * GDPR erasure: the contact's interactions (by id, e-mail or its leads), their hits, its leads' scores and score
     * history, and its demographic snapshot are deleted. Its leads stay known only as closed ids, so that late events
     * about them score nothing; the contact stays as a tombstone (id, sequence, erased_at, no personal data), so that a
     * late {@code contact.created} / {@code contact.updated} brings nothing back. An erasure applies whatever its
     * sequence: it is final.
     */
    public Uni<Void> contactErased(ContactErased event, long sequence) {
        require(event.contactId() != null, "contact.erased without contactId");
        UUID contact = event.contactId();
        return locks.acquire(List.of(ScoringLocks.contact(contact)))
                .chain(EventIntake::flush)
                .chain(() -> contacts.emailOf(contact))
                .chain(email -> interactions.deleteOfContact(contact, email))
                .chain(() -> trackedLeads.eraseLeadsOf(contact))
                .chain(() -> contacts.tombstone(contact, sequence, Instant.now()))
                .chain(EventIntake::forgetOpenLeads);
    }

    /**
     * As {@link #forgetLoaded}, after statements that moved leads to another contact or closed them: the open leads
     * the batch read for its contacts at its start are no longer theirs either.
     */
    private static Uni<Void> forgetOpenLeads() {
        batch().ifPresent(batch -> batch.openLeads.clear());
        return forgetLoaded();
    }

    private static Uni<Void> flush() {
        return Panache.getSession().chain(Mutiny.Session::flush);
    }

    /**
     * Empties the session after set-based statements changed contact_ref and tracked_lead rows behind its back: a
     * later event of the same batch must read those rows again, not the copies loaded before (which would let it
     * reopen an erased lead or write an erased contact's e-mail back); for the same reason it forgets the contacts
     * the batch read at its start ({@link #lockAll}). The caller flushed before the statements, so nothing pending is
     * lost.
     */
    private static Uni<Void> forgetLoaded() {
        batch().ifPresent(batch -> batch.contacts.clear());
        return Panache.getSession().invoke(Mutiny.Session::clear).replaceWithVoid();
    }

    /**
     * Keeps the lead's attributes (LEAD rules), topic, contact and status up to date; a closed lead is no longer
     * scored. A lead not tracked yet is tracked from here. {@code lead.updated} carries the whole attribute set (a
     * null clears an attribute).
     */
    public Uni<Void> leadUpdated(LeadUpdated event, long sequence) {
        require(event.leadId() != null && event.contactId() != null, "lead.updated without leadId or contactId");
        Map<String, Object> facts = new LinkedHashMap<>();
        facts.put("topic", event.topic());
        facts.put("source", event.source());
        facts.put("team", event.team());
        facts.put("owner", event.owner());
        facts.put("budget", event.budget());
        facts.put("currency", event.currency());
        facts.put("timeframe", event.timeframe());
        facts.put("need", event.need());
        facts.put("decisionMaker", event.decisionMaker());
        return updateLead(event.leadId(),
                new TrackedLead.LeadEvent(sequence, event.contactId(), event.status(), null, facts));
    }

    /** A stage change carries the lead's status: closed leads (won, lost, disqualified, converted) stop scoring. */
    public Uni<Void> leadStageChanged(LeadStageChanged event, long sequence) {
        require(event.leadId() != null && event.contactId() != null,
                "lead.stage-changed without leadId or contactId");
        return updateLead(event.leadId(),
                new TrackedLead.LeadEvent(sequence, event.contactId(), event.status(), event.to(), null));
    }

    /**
     * The other lead events that carry the lead's status and stage: {@code lead.closed} (a disqualification is
     * published only so), {@code lead.accepted}, {@code lead.opportunity} (CONVERTED).
     */
    public Uni<Void> leadStatus(UUID leadId, UUID contactId, String status, String stage, long sequence) {
        require(leadId != null && contactId != null, "lead event without leadId or contactId");
        return updateLead(leadId, new TrackedLead.LeadEvent(sequence, contactId, status, stage, null));
    }

    /**
     * Applies the event to the lead's projection (each part only if the event is newer than what set it, see
     * {@link TrackedLead#apply}), and brings its scores up to date when the projection changed in a way that can move
     * them: a lead seen for the first time, or a new contact, topic or open state, catches up in full; changed
     * attributes only re-score when a model that scores the lead tests one of them ({@link LeadScorer#refreshFacts}).
     */
    private Uni<Void> updateLead(UUID leadId, TrackedLead.LeadEvent event) {
        return lockLeadAndContact(leadId, event.contactId())
                .chain(contact -> catchUpIfDeferred(leadId).chain(caughtUp -> lockedLead(leadId, caughtUp))
                        .chain(existing -> {
                            Instant now = Instant.now();
                            if (existing != null) {
                                // an erased contact's lead stays closed: apply changes nothing for it
                                TrackedLead.Change change = existing.apply(event);
                                if (!change.any()) {
                                    return Uni.createFrom().voidItem();
                                }
                                existing.updatedAt = now;
                                return flush().chain(() -> change.scope()
                                        ? catchUp(List.of(leadId), ScoreCause.ATTRIBUTES)
                                        : scorer.refreshFacts(existing, change.facts(), ScoreCause.ATTRIBUTES)
                                                .replaceWithVoid());
                            }
                            TrackedLead lead = new TrackedLead();
                            lead.leadId = leadId;
                            lead.open = true;
                            lead.apply(event);
                            if (contact.erased()) {
                                erase(lead);
                            }
                            lead.createdAt = now;
                            lead.updatedAt = now;
                            trackedNow(leadId);
                            return lead.persist().chain(EventIntake::flush)
                                    .chain(() -> catchUp(List.of(leadId), ScoreCause.ATTRIBUTES));
                        }));
    }

    /**
     * The lead's row, locked ({@code select ... for update}, null when not tracked). After a catch-up the catch-up
     * holds the row's lock ({@link TrackedLeadRepository#lockOpen}) and the row in the session, so it is taken from
     * there: asking Hibernate for the lock again would be one more statement (a lock upgrade of the managed entity,
     * which Hibernate Reactive also writes with the property's name for the column).
     */
    private static Uni<TrackedLead> lockedLead(UUID leadId, boolean caughtUp) {
        return caughtUp ? Panache.getSession().chain(session -> session.find(TrackedLead.class, leadId))
                : TrackedLead.findById(leadId, LockModeType.PESSIMISTIC_WRITE);
    }

    /** A lead of an erased contact: known only as a closed id, without attributes. */
    private static void erase(TrackedLead lead) {
        lead.open = false;
        lead.status = ERASED;
        lead.attributesJson = "{}";
    }

    private static Map<String, Object> leadFacts(LeadCreated event) {
        Map<String, Object> facts = new LinkedHashMap<>();
        facts.put("topic", event.topic());
        facts.put("source", event.source());
        facts.put("sourceRef", event.sourceRef());
        facts.put("stage", event.stage());
        facts.put("status", event.status() == null ? "OPEN" : event.status());
        return withoutNulls(facts);
    }

    private static Map<String, Object> withoutNulls(Map<String, Object> map) {
        Map<String, Object> copy = new LinkedHashMap<>();
        map.forEach((k, v) -> {
            if (v != null) {
                copy.put(k, v);
            }
        });
        return copy;
    }

    /**
     * Takes, in the global lock order, every lock the effects of a batch of lead and contact events will take: their
     * leads and contacts, the e-mails they carry and the e-mails known for their contacts. The effects then find their
     * locks held, so a batch cannot deadlock with interactions or another batch.
     * <p>
     * A batch of contact events takes them in one statement, the e-mails read before (its effects read their rows
     * again under their own locks). A batch with lead events takes the leads' and contacts' locks first, then reads
     * its contacts (one statement; {@link ContactRefRepository#statusesOf}) and takes their e-mails' locks after
     * (e-mails sort last in the global order): what it read is the committed state that no other transaction can
     * change before this one ends, so its lead events take their contacts from there instead of reading each one
     * again ({@link #lockLeadAndContact}): one statement per batch instead of one per lead event.
     */
    public Uni<Void> lockAll(List<Envelope<?>> events) {
        Set<ScoringLocks.Key> keys = new HashSet<>();
        Set<UUID> contactIds = new HashSet<>();
        Set<UUID> leadContacts = new HashSet<>();
        Set<UUID> snapshotContacts = new HashSet<>();
        for (Envelope<?> event : events) {
            Object data = event.data();
            if (data instanceof LeadEvent e) {
                leadKeys(keys, contactIds, e.leadId(), e.contactId());
                if (e.contactId() != null) {
                    leadContacts.add(e.contactId());
                }
            } else if (data instanceof ContactCreated e) {
                contactKeys(keys, contactIds, e.contactId(), e.email());
                snapshotContacts.add(e.contactId());
            } else if (data instanceof ContactUpdated e) {
                contactKeys(keys, contactIds, e.contactId(), e.email());
                snapshotContacts.add(e.contactId());
            } else if (data instanceof ContactMerged e) {
                leadKeys(keys, contactIds, null, e.survivorId());
                leadKeys(keys, contactIds, null, e.duplicateId());
            } else if (data instanceof ContactErased e) {
                leadKeys(keys, contactIds, null, e.contactId());
            }
        }
        if (keys.isEmpty()) {
            return Uni.createFrom().voidItem();
        }
        Optional<Batch> batch = batch();
        if (leadContacts.isEmpty() || batch.isEmpty()) {
            // the e-mails as values, not entities (see ContactRefRepository#emailsOf)
            Uni<List<String>> known = contactIds.isEmpty() ? Uni.createFrom().item(List.of())
                    : contacts.emailsOf(contactIds);
            return known.chain(emails -> {
                emails.forEach(email -> keys.add(ScoringLocks.email(email)));
                return locks.acquire(keys).replaceWithVoid();
            }).chain(() -> batch.isEmpty() ? Uni.createFrom().voidItem()
                    : loadOpenLeads(batch.get(), snapshotContacts));
        }
        List<ScoringLocks.Key> emails = keys.stream().filter(ScoringLocks::isEmail).toList();
        keys.removeAll(emails);
        return locks.acquire(keys)
                .chain(() -> contacts.statusesOf(contactIds))
                .chain(statuses -> {
                    List<ScoringLocks.Key> all = new ArrayList<>(emails);
                    statuses.values().stream().filter(c -> c.email() != null)
                            .forEach(c -> all.add(ScoringLocks.email(c.email())));
                    batch.get().contacts.putAll(statuses);
                    return locks.acquire(all).replaceWithVoid();
                });
    }

    /**
     * Reads, once for the batch, the open leads of the contacts whose snapshot its contact events take (each snapshot
     * taken would otherwise ask for its contact's, {@link #openLeadsOf}), under the contacts' locks: no lead of
     * theirs can be tracked, moved or closed by another transaction before this one ends. One statement: not worth
     * it for one contact.
     */
    private Uni<Void> loadOpenLeads(Batch batch, Set<UUID> contactIds) {
        contactIds.remove(null);
        if (contactIds.size() < 2) {
            return Uni.createFrom().voidItem();
        }
        return trackedLeads.openLeadsOfContacts(contactIds).invoke(leads -> {
            contactIds.forEach(contact -> batch.openLeads.put(contact, new ArrayList<>()));
            leads.forEach(lead -> batch.openLeads.get(lead.contactId()).add(lead.leadId()));
        }).replaceWithVoid();
    }

    private static void contactKeys(Set<ScoringLocks.Key> keys, Set<UUID> contacts, UUID contactId, String email) {
        leadKeys(keys, contacts, null, contactId);
        EmailAddress.normalise(email).ifPresent(normalised -> keys.add(ScoringLocks.email(normalised)));
    }

    private static void leadKeys(Set<ScoringLocks.Key> keys, Set<UUID> contacts, UUID leadId, UUID contactId) {
        if (leadId != null) {
            keys.add(ScoringLocks.lead(leadId));
        }
        if (contactId != null) {
            keys.add(ScoringLocks.contact(contactId));
            contacts.add(contactId);
        }
    }

    /**
     * Locks the lead and its contact, then the contact's e-mail if known (global lock order); yields the contact's
     * status (unknown, known by an e-mail, or erased). In a batch, {@link #lockAll} took these locks and read the
     * contact under them: the status is taken from there, without a statement.
     */
    private Uni<ContactRefRepository.ContactStatus> lockLeadAndContact(UUID leadId, UUID contactId) {
        return locks.acquire(List.of(ScoringLocks.lead(leadId), ScoringLocks.contact(contactId)))
                .chain(() -> {
                    ContactRefRepository.ContactStatus read = batch().map(batch -> batch.contacts.get(contactId))
                            .orElse(null);
                    return read != null ? Uni.createFrom().item(read)
                            : contacts.statusesOf(List.of(contactId)).map(statuses -> statuses.get(contactId));
                })
                .chain(contact -> contact.email() == null ? Uni.createFrom().item(contact)
                        : locks.acquire(List.of(ScoringLocks.email(contact.email()))).replaceWith(contact));
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
        Instant at = capture.at() == null ? Instant.now() : capture.at();
        InteractionInput input = new InteractionInput(capture.captureId().toString(),
                InteractionTypes.FORM_SUBMITTED, contactId, null, leadId, topic == null ? null : topic.strip(), at,
                attributes);
        if (!capture.anonymous()) {
            return interactions.store(input).replaceWithVoid();
        }
        // The once-per-window rule for anonymous form posts lives here, where a capture becomes points: scoring-service
        // owns the interactions and their times, the lead is locked (lockLeadAndContact) so two posts cannot both pass,
        // and a post left out is never stored, so re-scoring from the stored interactions cannot count it either.
        // lead-service still records every post in the lead's history; the gateway and lead-service cannot see
        // whether a lead scored recently, and a per-visitor limit there does not stop posts from many addresses.
        attributes.put(InteractionRepository.ANONYMOUS, true);
        return interactions.anonymousPostNear(leadId, input.id(), at, formCaptureWindow)
                .chain(posted -> posted ? Uni.createFrom().voidItem() : interactions.store(input).replaceWithVoid());
    }

    /** Applies to each tracked, open lead the stored interactions not yet applied to it. */
    private Uni<Void> catchUp(List<UUID> leadIds) {
        return catchUp(leadIds, ScoreCause.INTERACTION);
    }

    private Uni<Void> catchUp(List<UUID> leadIds, ScoreCause cause) {
        return catchUp(leadIds, cause, batch().map(batch -> batch.trackedNow).orElseGet(HashSet::new));
    }

    /**
     * Locks the leads (one statement, in lead-id order) and reads them and their contacts (one statement each, not one
     * find per lead), collects the stored interactions pending for the open ones (one statement for all of them), and
     * scores them: the scoring run works on the leads and contacts read here, it does not lock or read them again. At
     * the end of a batch the session no longer holds what the batch's events loaded (it is emptied after each event),
     * so these are the reads of the catch-up.
     *
     * @param trackedNow the leads the transaction began tracking and no run scored yet (the batch's set): those of this
     *        run have no applied interaction; they are taken out of the set here, as this run may apply some
     */
    private Uni<Void> catchUp(List<UUID> leadIds, ScoreCause cause, Set<UUID> trackedNow) {
        List<UUID> ordered = leadIds.stream().distinct().sorted(Comparator.comparing(UUID::toString)).toList();
        if (ordered.isEmpty()) {
            return Uni.createFrom().voidItem();
        }
        Set<UUID> unscored = ordered.stream().filter(trackedNow::remove).collect(Collectors.toSet());
        List<Application> applications = new ArrayList<>();
        return trackedLeads.lockOpen(ordered)
                .chain(locked -> interactions.pendingFor(locked.leads().stream()
                        .map(lead -> new InteractionRepository.LeadInScope(lead.leadId, lead.contactId,
                                locked.emailOf(lead), lead.topic))
                        .toList())
                        .invoke(pending -> pending.forEach((lead, facts) -> facts
                                .forEach(interaction -> applications.add(new Application(interaction, lead)))))
                        .chain(() -> cause == ScoreCause.INTERACTION || !applications.isEmpty()
                                ? scorer.apply(locked, applications, unscored)
                                : scorer.refresh(locked, cause, unscored).replaceWithVoid()));
    }

    private static void require(boolean condition, String message) {
        if (!condition) {
            throw new UnreadableEventException(message);
        }
    }
}
