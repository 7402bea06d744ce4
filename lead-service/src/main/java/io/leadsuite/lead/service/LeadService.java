package io.leadsuite.lead.service;

import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.LockModeType;

import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

import io.leadsuite.contracts.Capture;
import io.leadsuite.contracts.Envelope;
import io.leadsuite.contracts.ScoreChanged;
import io.leadsuite.kit.problem.ProblemException;
import io.leadsuite.lead.domain.Lead;
import io.leadsuite.lead.domain.LeadChange;
import io.leadsuite.lead.domain.LeadHistoryEntry;
import io.leadsuite.lead.domain.LeadScore;
import io.leadsuite.lead.domain.LeadStatus;
import io.quarkus.hibernate.reactive.panache.common.WithSession;
import io.quarkus.hibernate.reactive.panache.common.WithTransaction;
import io.quarkus.panache.common.Sort;
import io.smallrye.mutiny.Uni;

/** Leads: creation from captures, score updates and the lifecycle moves they cause, reads. */
@ApplicationScoped
public class LeadService {

    private static final Logger LOG = Logger.getLogger(LeadService.class);
    private static final List<LeadStatus> OPEN_STATUSES = List.of(LeadStatus.OPEN, LeadStatus.ACCEPTED);

    private final FlowCatalog flows;
    private final LeadEvents events;
    private final String defaultFlow;

    public LeadService(FlowCatalog flows, LeadEvents events,
            @ConfigProperty(name = "leadsuite.leads.default-flow") String defaultFlow) {
        this.flows = flows;
        this.events = events;
        this.defaultFlow = defaultFlow;
    }

    /** A capture for a contact: the open lead of that topic, touched, or a new one. */
    public record CaptureCommand(UUID contactId, String topic, String source, String sourceRef) {
    }

    public record RecordedCapture(Lead lead, boolean created) {
    }

    /**
     * Creates the lead in the first stage of the default flow, or touches the open lead of the contact and topic;
     * either way the submission lands in the lead's history and is published (lead.created or lead.captured), so
     * scoring counts it once. Two racing captures collide on the one-open-lead-per-topic index; the caller retries
     * the loser, which then finds the winner's lead.
     */
    @WithTransaction
    public Uni<RecordedCapture> recordCapture(CaptureCommand command, String actor) {
        String topic = normaliseTopic(command.topic());
        Instant now = Instant.now();
        Capture capture = new Capture(UUID.randomUUID(), now, command.source(), command.sourceRef());
        return Lead.<Lead> find("contactId = ?1 and topic = ?2 and status in ?3", command.contactId(), topic,
                OPEN_STATUSES)
                .withLock(LockModeType.PESSIMISTIC_WRITE)
                .firstResult()
                .chain(existing -> {
                    if (existing != null) {
                        existing.updatedAt = now;
                        return events.captured(existing, capture, actor)
                                .replaceWith(new RecordedCapture(existing, false));
                    }
                    return flows.latest(defaultFlow).chain(flow -> {
                        Lead lead = Lead.open(command.contactId(), topic, command.source(), command.sourceRef(), flow,
                                now);
                        return lead.<Lead> persistAndFlush()
                                .chain(() -> events.created(lead, capture, actor))
                                .replaceWith(new RecordedCapture(lead, true));
                    });
                });
    }

    /**
     * Applies a {@code score.changed}: stores the snapshot unless a newer one was applied already, and records the
     * lifecycle moves it causes. Runs in the consumer's transaction.
     */
    @WithTransaction
    public Uni<Void> applyScoreUpdate(Envelope<ScoreChanged> update) {
        return Lead.<Lead> findById(update.subject(), LockModeType.PESSIMISTIC_WRITE).chain(lead -> {
            if (lead == null) {
                LOG.warnf("score.changed %s for unknown lead %s ignored", update.id(), update.subject());
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
                Uni<Void> recorded = Uni.createFrom().voidItem();
                for (LeadChange change : result.changes()) {
                    recorded = recorded.chain(() -> events.changed(lead, change, now));
                }
                return recorded;
            });
        });
    }

    @WithSession
    public Uni<Lead> get(UUID id) {
        return Lead.<Lead> findById(id).onItem().ifNull().failWith(() -> ProblemException.notFound("Lead", id));
    }

    /** History entries after the given entry id, oldest first; one more than asked tells whether there is a next. */
    @WithSession
    public Uni<List<LeadHistoryEntry>> history(UUID leadId, long afterEntry, int limit) {
        return Lead.<Lead> findById(leadId)
                .onItem().ifNull().failWith(() -> ProblemException.notFound("Lead", leadId))
                .chain(lead -> LeadHistoryEntry.<LeadHistoryEntry> find("leadId = ?1 and id > ?2", Sort.by("id"),
                        leadId, afterEntry).range(0, limit).list());
    }

    /** Leads of a contact (or all), in id order after the given id. */
    @WithSession
    public Uni<List<Lead>> list(UUID contactId, UUID after, int limit) {
        UUID from = after == null ? new UUID(Long.MIN_VALUE, Long.MIN_VALUE) : after;
        return contactId == null
                ? Lead.<Lead> find("id > ?1", Sort.by("id"), from).range(0, limit).list()
                : Lead.<Lead> find("contactId = ?1 and id > ?2", Sort.by("id"), contactId, from).range(0, limit).list();
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

    static String normaliseTopic(String topic) {
        return topic.strip().toLowerCase(Locale.ROOT);
    }
}
