package io.leadsuite.lead.service;

import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.util.Collection;
import java.util.List;
import java.util.Set;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.LockModeType;

import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

import io.leadsuite.contracts.Capture;
import io.leadsuite.contracts.Envelope;
import io.leadsuite.contracts.ScoreChanged;
import io.leadsuite.kit.domain.InvalidValues;
import io.leadsuite.kit.domain.NotFound;
import io.leadsuite.kit.domain.StaleVersion;
import io.leadsuite.kit.domain.StateConflict;
import io.leadsuite.kit.sql.UniqueViolation;
import io.leadsuite.lead.domain.Cause;
import io.leadsuite.lead.domain.Flow;
import io.leadsuite.lead.domain.Lead;
import io.leadsuite.lead.domain.LeadChange;
import io.leadsuite.lead.domain.LeadHistoryEntry;
import io.leadsuite.lead.domain.LeadPatch;
import io.leadsuite.lead.domain.LeadScore;
import io.leadsuite.lead.domain.LeadStatus;
import io.leadsuite.lead.repository.ContactRepository;
import io.leadsuite.lead.repository.LeadRepository;
import io.leadsuite.lead.repository.LeadRepository.LeadFilter;
import io.leadsuite.lead.repository.LeadRepository.LeadSort;
import io.leadsuite.lead.repository.LeadRepository.ListCursor;
import io.leadsuite.lead.repository.LeadRepository.Listed;
import io.leadsuite.lead.service.campaign.Campaigns;
import io.leadsuite.lead.service.topic.Topics;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.quarkus.hibernate.reactive.panache.common.WithSession;
import io.quarkus.panache.common.Sort;
import io.smallrye.mutiny.Uni;

/** Leads: creation from captures, score updates and the lifecycle moves they cause, reads. */
@ApplicationScoped
public class LeadService {

    private static final Logger LOG = Logger.getLogger(LeadService.class);
    /**
     * The contact's open lead on a topic. The open statuses are two parameters, not one list: a query with a list
     * parameter is translated again at every execution (kit's {@code HqlIn}), and this one runs for every capture.
     */
    private static final String OPEN_ON_TOPIC = "contactId = ?1 and topic = ?2 and status in (?3, ?4)";

    private final FlowCatalog flows;
    private final LeadEvents events;
    private final Topics topics;
    private final Campaigns campaigns;
    private final LeadRepository repository;
    private final ContactRepository contacts;
    private final String defaultFlow;

    public LeadService(FlowCatalog flows, LeadEvents events, Topics topics, Campaigns campaigns,
            LeadRepository repository, ContactRepository contacts,
            @ConfigProperty(name = "leadsuite.leads.default-flow") String defaultFlow) {
        this.repository = repository;
        this.contacts = contacts;
        this.flows = flows;
        this.events = events;
        this.topics = topics;
        this.campaigns = campaigns;
        this.defaultFlow = defaultFlow;
    }

    /**
     * A capture for a contact: the open lead of that topic, touched, or a new one.
     *
     * @param campaign the campaign it came from, by id or name, or null
     * @param anonymous an anonymous visitor's post through a public web form
     * @param contactJustCreated contact-service created the contact for this very capture, and this is its first
     *        attempt: the contact's open lead is not looked for, the lead is inserted at once (see
     *        {@link #recordCapture(CaptureCommand, String)}); a retry passes false
     */
    public record CaptureCommand(UUID contactId, String topic, String source, String sourceRef, String campaign,
            boolean anonymous, boolean contactJustCreated) {
        public CaptureCommand(UUID contactId, String topic, String source, String sourceRef, String campaign) {
            this(contactId, topic, source, sourceRef, campaign, false, false);
        }

        public CaptureCommand(UUID contactId, String topic, String source, String sourceRef) {
            this(contactId, topic, source, sourceRef, null, false, false);
        }
    }

    public record RecordedCapture(Lead lead, boolean created) {
    }

    /**
     * Creates the lead in the first stage of the default flow, or touches the open lead of the contact and topic;
     * either way the submission lands in the lead's history and is published (lead.created or lead.captured), so
     * scoring counts it once. Two racing captures collide on the one-open-lead-per-topic index; the caller retries
     * the loser, which then finds the winner's lead. A campaign the capture names is the new lead's campaign and a
     * touch of it either way; it is resolved first, so that a refused one writes nothing. Runs in the caller's
     * transaction (the capture's, or an import job's).
     * <p>
     * A contact that contact-service has just created for this capture ({@link CaptureCommand#contactJustCreated})
     * almost never has a lead here, so its open lead is not read: one statement fewer for most captures. Nothing is
     * lost by not reading: the one-open-lead-per-topic unique index ({@code lead_open_per_contact_topic}, the same
     * condition as the read) refuses the insert when the contact has an open lead after all (another capture of the
     * same new contact, or a merge into it, that got there first), with a unique violation, and the caller runs the
     * capture again as for any lost race, without the flag: that run reads and touches the lead.
     */
    public Uni<RecordedCapture> recordCapture(CaptureCommand command, String actor) {
        Uni<UUID> campaign = command.campaign() == null || command.campaign().isBlank()
                ? Uni.createFrom().nullItem()
                : campaigns.resolve(command.campaign(), "campaign");
        return campaign.chain(campaignId -> topics.resolve(command.topic(), "topic")
                .chain(topic -> recordCapture(command, topic, campaignId, actor))
                .call(recorded -> campaignId == null ? Uni.createFrom().voidItem()
                        : campaigns.touch(campaignId, recorded.lead().id, Campaigns.TouchKind.CAPTURE, null,
                                recorded.lead().updatedAt)));
    }

    private Uni<RecordedCapture> recordCapture(CaptureCommand command, String topic, UUID campaignId, String actor) {
        Instant now = Instant.now();
        Capture capture = new Capture(UUID.randomUUID(), now, command.source(), command.sourceRef(),
                command.anonymous());
        return contacts.lock(command.contactId(), false)
                .chain(() -> contacts.isErased(command.contactId()))
                .invoke(erased -> {
                    if (erased) {
                        throw new StateConflict("The contact was erased while the capture ran; send the "
                                + "capture again to record it for a new contact");
                    }
                })
                .chain(() -> (command.contactJustCreated() ? Uni.createFrom().<Lead> nullItem()
                        : Lead.<Lead> find(OPEN_ON_TOPIC, command.contactId(), topic, LeadStatus.OPEN,
                                LeadStatus.ACCEPTED)
                                .withLock(LockModeType.PESSIMISTIC_WRITE)
                                .firstResult())
                        .chain(existing -> {
                            if (existing != null) {
                                existing.updatedAt = now;
                                return events.captured(existing, capture, actor)
                                        .replaceWith(new RecordedCapture(existing, false));
                            }
                            return flows.forNewLead(defaultFlow).chain(flow -> {
                                Lead lead = Lead.open(command.contactId(), topic, command.source(), command.sourceRef(), flow,
                                        now);
                                lead.campaignId = campaignId;
                                return lead.<Lead> persistAndFlush()
                                        .chain(() -> events.created(lead, capture, actor))
                                        .replaceWith(new RecordedCapture(lead, true));
                            });
                        }));
    }

    /**
     * Applies a {@code score.changed}: stores the snapshot unless a newer one was applied already, and records the
     * lifecycle moves it causes. The campaigns its interactions named are touches of them whatever the sequence (each
     * once). Runs in the consumer's transaction.
     */
    public Uni<Void> applyScoreUpdate(Envelope<ScoreChanged> update) {
        // the consumer locked and loaded its batch's leads first (lockAndLoad): found in the session, no statement
        return Lead.<Lead> findById(update.subject()).chain(lead -> {
            if (lead == null) {
                LOG.warnf("score.changed %s for unknown lead %s ignored", update.id(), update.subject());
                return Uni.createFrom().voidItem();
            }
            if (lead.erased()) {
                // its contact was erased: a score sent before the erasure reached scoring changes nothing
                return Uni.createFrom().voidItem();
            }
            return flows.get(lead.flowId, lead.flowVersion).chain(flow -> {
                List<LeadScore> snapshot = update.data().scores().stream()
                        .map(s -> new LeadScore(s.modelId(), s.modelName(), s.score(), s.grade(),
                                s.salesReadyThreshold(), s.salesReady()))
                        .toList();
                Instant now = Instant.now();
                Lead.ScoreApplication result = lead.applyScores(update.sequence(), snapshot, update.data().salesReady(),
                        flow, now);
                if (!result.applied()) {
                    LOG.debugf("Stale score.changed %s (sequence %d <= %d) for lead %s ignored", update.id(),
                            update.sequence(), lead.scoreSequence, lead.id);
                }
                return events.changed(lead, result.changes(), now)
                        .chain(() -> campaigns.touchedByInteractions(lead.id, update.data().campaignTouches()));
            });
        });
    }

    /**
     * Locks the given leads in id order and loads them, in the caller's transaction (see
     * {@link LeadRepository#lockAndLoad}).
     */
    public Uni<Void> lockAndLoad(Collection<UUID> ids) {
        return repository.lockAndLoad(ids);
    }

    @WithSession
    public Uni<Lead> get(UUID id) {
        return Lead.<Lead> findById(id).onItem().ifNull().failWith(() -> new NotFound("Lead", id));
    }

    /** History entries after the given entry id, oldest first; one more than asked tells whether there is a next. */
    @WithSession
    public Uni<List<LeadHistoryEntry>> history(UUID leadId, long afterEntry, int limit) {
        return Lead.<Lead> findById(leadId)
                .onItem().ifNull().failWith(() -> new NotFound("Lead", leadId))
                .chain(lead -> LeadHistoryEntry.<LeadHistoryEntry> find("leadId = ?1 and id > ?2", Sort.by("id"),
                        leadId, afterEntry).range(0, limit).list());
    }

    /** Leads matching the filter, in the given order, after the cursor. */
    @WithSession
    public Uni<List<Listed>> list(LeadFilter filter, LeadSort sort, ListCursor after, int limit) {
        return repository.list(filter, sort, after, limit);
    }

    /** Sales-ready leads not yet accepted, oldest first (by when they became sales-ready), after a cursor. */
    @WithSession
    public Uni<List<Lead>> salesReadyFeed(Instant afterAt, UUID afterId, int limit) {
        if (afterAt == null) {
            return Lead.<Lead> find("salesReady = true and status = ?1", Sort.by("salesReadyAt").and("id"),
                    LeadStatus.OPEN).range(0, limit).list();
        }
        return Lead.<Lead> find("salesReady = true and status = ?1 and (salesReadyAt > ?2 or (salesReadyAt = ?2 and "
                + "id > ?3))", Sort.by("salesReadyAt").and("id"), LeadStatus.OPEN, afterAt, afterId)
                .range(0, limit).list();
    }

    /** Who is changing a lead: the JWT subject and the token's roles. */
    public record Actor(String name, Set<String> roles) {
    }

    /** A lead created through the API (not a capture). */
    public record NewLead(UUID contactId, String topic, String source, String sourceRef, String flow) {
    }

    /**
     * Creates a lead for an existing contact in the first stage of the given flow (its newest version) or the
     * default one. 409 with the existing id when the contact already has an open lead of that topic.
     */
    public Uni<Lead> create(NewLead command, String actor) {
        Instant now = Instant.now();
        return Panache.withTransaction(() -> flows.forNewLead(command.flow() == null ? defaultFlow : command.flow())
                .onFailure(NotFound.class).transform(e -> InvalidValues.of("Unknown flow " + command.flow(), "flow",
                        "no such flow"))
                .chain(flow -> topics.resolve(command.topic(), "topic")
                        .chain(topic -> open(command, topic, flow, now, actor))))
                .onFailure(UniqueViolation::in)
                .transform(e -> new StateConflict("The contact already has an open lead on this topic"));
    }

    private Uni<Lead> open(NewLead command, String topic, Flow flow, Instant now, String actor) {
        return Lead.<Lead> find(OPEN_ON_TOPIC, command.contactId(), topic, LeadStatus.OPEN,
                LeadStatus.ACCEPTED).firstResult().chain(existing -> {
                    if (existing != null) {
                        throw new StateConflict("The contact already has an open lead on " + topic)
                                .with("existingId", existing.id);
                    }
                    Lead lead = Lead.open(command.contactId(), topic, command.source(), command.sourceRef(), flow,
                            now);
                    return lead.<Lead> persistAndFlush()
                            .chain(() -> events.created(lead, null, actor))
                            .chain(() -> Panache.getSession().chain(s -> s.flush()))
                            .replaceWith(lead);
                });
    }

    /** Moves the lead along a transition of its flow (CONTRACT: 200, 409, 403, 422; 412 on a stale If-Match). */
    public Uni<Lead> transition(UUID id, Long ifMatch, String to, String reason, Actor actor) {
        return change(id, ifMatch, false, (lead, flows, now) -> lead.transition(to, actor.roles(), flows.current(),
                actor.name(), reason, now));
    }

    public Uni<Lead> markSalesReady(UUID id, Long ifMatch, String reason, Actor actor) {
        return change(id, ifMatch, false, (lead, flows, now) -> lead.markSalesReady(flows.current(), actor.name(),
                reason, now));
    }

    public Uni<Lead> disqualify(UUID id, Long ifMatch, String reason, Actor actor) {
        return change(id, ifMatch, false, (lead, flows, now) -> lead.disqualify(actor.name(), reason, now));
    }

    public Uni<Lead> recycle(UUID id, Long ifMatch, String reason, Actor actor) {
        return change(id, ifMatch, false, (lead, flows, now) -> lead.recycle(flows.current(), flows.origin(),
                Cause.MANUAL, actor.name(), reason, now));
    }

    public Uni<Lead> reopen(UUID id, Long ifMatch, String reason, Actor actor) {
        return change(id, ifMatch, false, (lead, flows, now) -> lead.reopen(flows.current(), flows.origin(),
                actor.name(), reason, now))
                .onFailure(UniqueViolation::in)
                .transform(e -> new StateConflict("The contact has another open lead on this topic; it cannot be reopened"));
    }

    public Uni<Lead> update(UUID id, Long ifMatch, LeadPatch patch, Actor actor) {
        // a topic the patch names is one of the list (or joins it), as a capture's is
        return Panache.withTransaction(() -> (patch.topic().isEmpty() ? Uni.createFrom().voidItem()
                : topics.resolve(patch.topic().get(), "topic").invoke(topicId -> patch.topic(topicId)).replaceWithVoid())
                .chain(() -> changing(id, ifMatch, false, (lead, flows, now) -> lead.update(patch, actor.name(), now))))
                .onFailure(UniqueViolation::in)
                .transform(e -> new StateConflict("The contact already has an open lead on that topic"));
    }

    /** Sales acceptance by a sales user (CONTRACT: 409 unless the lead is sales-ready). */
    public Uni<Lead> accept(UUID id, Long ifMatch, String owner, String reason, Actor actor) {
        return change(id, ifMatch, true, (lead, flows, now) -> lead.acceptBySales(owner, reason, flows.current(),
                flows.sales(), actor.name(), now));
    }

    public Uni<Lead> crmAccept(UUID id, String crmLeadId, String owner, Actor actor) {
        return change(id, null, true, (lead, flows, now) -> lead.acceptByCrm(crmLeadId, owner, flows.current(),
                flows.sales(), actor.name(), now));
    }

    public Uni<Lead> crmReject(UUID id, String reason, Actor actor) {
        return change(id, null, false, (lead, flows, now) -> lead.rejectByCrm(reason, flows.current(),
                flows.origin(), actor.name(), now));
    }

    public Uni<Lead> crmOpportunity(UUID id, String opportunityId, BigDecimal estimatedRevenue,
            LocalDate estimatedClose, Actor actor) {
        return change(id, null, false, (lead, flows, now) -> lead.opportunity(opportunityId, estimatedRevenue,
                estimatedClose, flows.current(), actor.name(), now));
    }

    public Uni<Lead> crmClose(UUID id, LeadStatus outcome, BigDecimal revenue, String reason, Actor actor) {
        return change(id, null, false, (lead, flows, now) -> lead.closeByCrm(outcome, revenue, reason,
                flows.current(), actor.name(), now));
    }

    /**
     * The flows a change may need: the lead's own (its version), the one it came from before it switched to a sales
     * flow (null if it never switched), and the newest version of its flow's sales flow (loaded only for acceptance;
     * null otherwise or when the flow names none).
     */
    record Flows(Flow current, Flow origin, Flow sales) {
    }

    @FunctionalInterface
    interface Action {
        List<LeadChange> apply(Lead lead, Flows flows, Instant now);
    }

    private Uni<Flows> flowsOf(Lead lead, boolean withSalesFlow) {
        return flows.get(lead.flowId, lead.flowVersion).chain(current -> (lead.originFlowId == null
                ? Uni.createFrom().<Flow> nullItem()
                : flows.get(lead.originFlowId, lead.originFlowVersion))
                .chain(origin -> (withSalesFlow && current.salesFlow() != null ? flows.latest(current.salesFlow())
                        : Uni.createFrom().<Flow> nullItem())
                        .map(sales -> new Flows(current, origin, sales))));
    }

    /**
     * One change to one lead, in one transaction: the row is locked (concurrent changes queue up, each sees the
     * previous one's result), the caller's If-Match checked (412 when stale), the domain rule applied under the
     * lead's own flow version, and its history entries and events recorded. An action that changes nothing (a
     * repeated CRM call) records nothing.
     */
    private Uni<Lead> change(UUID id, Long ifMatch, boolean withSalesFlow, Action action) {
        return Panache.withTransaction(() -> changing(id, ifMatch, withSalesFlow, action));
    }

    /** {@link #change} in the caller's transaction. */
    private Uni<Lead> changing(UUID id, Long ifMatch, boolean withSalesFlow, Action action) {
        return Lead.<Lead> findById(id, LockModeType.PESSIMISTIC_WRITE)
                .onItem().ifNull().failWith(() -> new NotFound("Lead", id))
                .chain(lead -> {
                    lead.requireNotErased();
                    if (ifMatch != null && ifMatch != lead.version) {
                        return Uni.createFrom().failure(new StaleVersion("The lead", ifMatch, lead.version));
                    }
                    return flowsOf(lead, withSalesFlow).chain(related -> {
                        Instant now = Instant.now();
                        List<LeadChange> changes = action.apply(lead, related, now);
                        if (changes.isEmpty()) {
                            return Uni.createFrom().item(lead);
                        }
                        return events.changed(lead, changes, now)
                                .chain(() -> Panache.getSession().chain(s -> s.flush()))
                                .replaceWith(lead);
                    });
                });
    }

}
