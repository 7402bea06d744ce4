package io.leadsuite.lead.domain;

import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.UUID;

import jakarta.persistence.Column;
import jakarta.persistence.Convert;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import jakarta.persistence.Version;

import org.hibernate.annotations.Mutability;
import org.hibernate.type.descriptor.java.Immutability;

import io.leadsuite.contracts.Roles;
import io.leadsuite.kit.domain.InvalidValues;
import io.leadsuite.kit.domain.NotPermitted;
import io.leadsuite.kit.domain.StateConflict;
import io.leadsuite.kit.domain.Violation;
import io.leadsuite.lead.domain.Flow.Trigger;
import io.quarkus.hibernate.reactive.panache.PanacheEntityBase;

/**
 * One contact's interest in one topic, moving through the stages of its flow. The lifecycle rules live here, free
 * of persistence and messaging, so they can be tested alone; the service records the returned changes.
 */
@Entity
@Table(name = "lead")
public class Lead extends PanacheEntityBase {

    public static final String SCORING_ACTOR = "scoring-service";

    @Id
    public UUID id;
    public UUID contactId;
    public String topic;
    public String source;
    public String sourceRef;
    /** The campaign the lead came from (named by the capture or import row that created it), or null. */
    public UUID campaignId;
    public String flowId;
    public int flowVersion;
    public String stage;
    @Enumerated(EnumType.STRING)
    public LeadStatus status;
    public boolean salesReady;
    public String salesReadyBy;
    public Instant salesReadyAt;
    public String team;
    public String owner;
    /** The latest snapshot of the lead's scores, one per model; unmodifiable, replaced whole. */
    @Convert(converter = LeadScoresConverter.class)
    @Mutability(Immutability.class)
    public List<LeadScore> scores = List.of();
    /** The highest score over the lead's models, and that model's grade (null before the first score). */
    public Integer topScore;
    public String topGrade;
    /** Sequence of the last applied score.changed; lower ones are stale. */
    public long scoreSequence;
    /** Sequence of the last event published about this lead. */
    public long eventSequence;
    public Instant stageEnteredAt;
    /**
     * Whether the lead has a deadline for its stay in the current stage (a row in {@code lead_stage_sla}). The database
     * keeps the column (its triggers, whoever writes the deadlines); read-only here, so that a copy of the lead that
     * notes its own transaction's writes never overwrites it.
     */
    @Column(insertable = false, updatable = false)
    public boolean hasStageDeadline;
    /** Qualification, recorded by telesales or sales; guards and scoring's lead rules read it. */
    public BigDecimal budget;
    public String currency;
    public String timeframe;
    public String need;
    public Boolean decisionMaker;
    /** The CRM hand-off: its lead id once accepted, the opportunity, the outcome. */
    public String crmLeadId;
    public String crmOpportunityId;
    public BigDecimal estimatedRevenue;
    public LocalDate estimatedClose;
    public BigDecimal revenue;
    public String closeReason;
    /** Why the CRM last rejected the lead; cleared when it becomes sales-ready again. */
    public String crmRejectionReason;
    public Instant acceptedAt;
    /** Who accepted the lead (a sales user, or the CRM's client), with {@code acceptedAt}. */
    public String acceptedBy;
    /**
     * The flow (and version) the lead was in before it switched to a sales flow; where it goes back to when sales sends
     * it back to nurturing. Null while the lead is in the flow it started in.
     */
    public String originFlowId;
    public Integer originFlowVersion;
    public Instant closedAt;
    /** When the lead's contact was erased (GDPR); the lead then takes no further change. */
    public Instant erasedAt;
    public Instant createdAt;
    public Instant updatedAt;
    @Version
    public long version;

    /** A new open lead in the first stage of its flow. */
    public static Lead open(UUID contactId, String topic, String source, String sourceRef, Flow flow, Instant now) {
        Lead lead = new Lead();
        lead.id = UUID.randomUUID();
        lead.contactId = contactId;
        lead.topic = topic;
        lead.source = source;
        lead.sourceRef = sourceRef;
        lead.flowId = flow.id();
        lead.flowVersion = flow.version();
        lead.stage = flow.firstStage().id();
        lead.team = flow.firstStage().team();
        lead.status = LeadStatus.OPEN;
        lead.stageEnteredAt = now;
        lead.createdAt = now;
        lead.updatedAt = now;
        // its first event, lead.created, takes sequence 1: written with the row, not by an update after it
        lead.eventSequence = CREATED_SEQUENCE;
        return lead;
    }

    /** The outcome of a score update: whether it was applied, and the changes it caused. */
    public record ScoreApplication(boolean applied, List<LeadChange> changes) {
        static final ScoreApplication STALE = new ScoreApplication(false, List.of());
    }

    /**
     * Applies a score snapshot with its per-lead sequence. A snapshot not newer than the last applied one is stale
     * and changes nothing. On an open lead, the first score starts automated qualification and crossing a threshold
     * makes the lead sales-ready (by SCORE) and moves it on, as the flow's automation says. A snapshot whose
     * standings (each model's score, grade, sales-readiness) are the ones the lead has, which scoring sends when the
     * interactions it applied named campaigns but moved no score, is taken (its sequence, model names and thresholds)
     * and moves nothing: a lead recycled while its score stayed above the threshold is not made sales-ready again.
     */
    public ScoreApplication applyScores(long sequence, List<LeadScore> snapshot, boolean anySalesReady, Flow flow,
            Instant at) {
        if (sequence <= scoreSequence) {
            return ScoreApplication.STALE;
        }
        boolean unchanged = standings(snapshot).equals(standings(scores));
        scoreSequence = sequence;
        scores = List.copyOf(snapshot);
        LeadScore top = snapshot.stream().max(java.util.Comparator.comparingInt(LeadScore::score)).orElse(null);
        topScore = top == null ? null : top.score();
        topGrade = top == null ? null : top.grade();
        if (unchanged) {
            return new ScoreApplication(true, List.of());
        }
        updatedAt = at;
        List<LeadChange> changes = new ArrayList<>();
        if (!status.isOpen()) {
            return new ScoreApplication(true, changes);
        }
        flow.automaticTarget(Trigger.SCORED, stage)
                .ifPresent(to -> changes.add(moveTo(to, flow, Cause.SCORE, SCORING_ACTOR, "Scoring started", at)));
        if (anySalesReady && !salesReady) {
            changes.addAll(becomeSalesReady(Cause.SCORE, SCORING_ACTOR, "Sales-ready threshold reached", flow, at));
        } else if (!anySalesReady && salesReady && Cause.SCORE.name().equals(salesReadyBy) && status == LeadStatus.OPEN
                && flow.returnToNurtureBelowThreshold()) {
            String reason = "Score fell back below the sales-ready threshold";
            clearSalesReady();
            changes.add(new LeadChange.SalesReadyCleared(stage, Cause.SCORE, SCORING_ACTOR, reason));
            String nurture = flow.nurtureStageOrFirst();
            if (!nurture.equals(stage)) {
                changes.add(moveTo(nurture, flow, Cause.SCORE, SCORING_ACTOR, reason, at));
            }
        }
        return new ScoreApplication(true, changes);
    }

    /** Each model's score, grade and sales-readiness. */
    private static Set<List<Object>> standings(List<LeadScore> scores) {
        Set<List<Object>> standings = new HashSet<>();
        for (LeadScore s : scores == null ? List.<LeadScore> of() : scores) {
            standings.add(Arrays.asList(s.modelId(), s.score(), s.grade(), s.salesReady()));
        }
        return standings;
    }

    private List<LeadChange> becomeSalesReady(Cause cause, String actor, String reason, Flow flow, Instant at) {
        List<LeadChange> changes = new ArrayList<>();
        salesReady = true;
        salesReadyBy = cause.name();
        salesReadyAt = at;
        crmRejectionReason = null;
        updatedAt = at;
        changes.add(new LeadChange.BecameSalesReady(cause.name(), stage, cause, actor, reason));
        flow.automaticTarget(Trigger.SALES_READY, stage)
                .ifPresent(to -> changes.add(moveTo(to, flow, cause, actor, reason, at)));
        return changes;
    }

    private void clearSalesReady() {
        salesReady = false;
        salesReadyBy = null;
        salesReadyAt = null;
    }

    /**
     * A person moves the lead to another stage of its flow. Refused with 409 when the flow has no such transition
     * from the current stage (or the lead is closed), 403 when none of the caller's teams may make it (admins may make
     * any), 422 naming every guard that is not met.
     */
    public List<LeadChange> transition(String to, Set<String> roles, Flow flow, String actor, String reason,
            Instant at) {
        if (status.isFinal()) {
            throw new StateConflict("The lead is " + status + "; reopen it before moving it")
                    .with("status", status.name());
        }
        Flow.Transition transition = flow.transition(stage, to)
                .orElseThrow(() -> new StateConflict(
                        "Flow " + flow.id() + " (version " + flow.version() + ") has no transition from " + stage
                                + " to " + to)
                        .with("stage", stage));
        if (!roles.contains(Roles.ADMIN) && transition.teams().stream().noneMatch(roles::contains)) {
            throw new NotPermitted("Only " + String.join(", ", transition.teams()) + " may move a lead from " + stage + " to "
                    + to);
        }
        List<Violation> unmet = new ArrayList<>();
        for (String guard : transition.guardList()) {
            if (!guardMet(guard)) {
                unmet.add(new Violation(guard, Flow.GUARD_SALES_READY.equals(guard)
                        ? "the lead must be sales-ready before it moves to " + to
                        : "must be filled before the lead moves to " + to));
            }
        }
        if (!unmet.isEmpty()) {
            throw new InvalidValues("The transition from " + stage + " to " + to + " needs "
                    + unmet.stream().map(Violation::field).toList(), unmet);
        }
        List<LeadChange> changes = new ArrayList<>();
        changes.add(moveTo(to, flow, Cause.MANUAL, actor, reason, at));
        if (status.isFinal()) {
            // a stage that closes the lead (the funnel's CLOSED_WON, CLOSED_LOST): published as lead.closed too
            changes.add(new LeadChange.Closed(status.name(), stage, revenue, Cause.MANUAL, actor, reason));
        }
        return changes;
    }

    boolean guardMet(String guard) {
        return switch (guard) {
            case Flow.GUARD_SALES_READY -> salesReady;
            case "qualification.budget" -> budget != null;
            case "qualification.currency" -> currency != null;
            case "qualification.timeframe" -> timeframe != null;
            case "qualification.need" -> need != null && !need.isBlank();
            case "qualification.decisionMaker" -> decisionMaker != null;
            case "owner" -> owner != null && !owner.isBlank();
            default -> false;
        };
    }

    /** Telesales flags the lead sales-ready by hand (recorded MANUAL); the flow's automation then applies. */
    public List<LeadChange> markSalesReady(Flow flow, String actor, String reason, Instant at) {
        if (status != LeadStatus.OPEN) {
            throw new StateConflict("Only an open lead not yet accepted can be flagged sales-ready; it is "
                    + status).with("status", status.name());
        }
        if (salesReady) {
            return List.of();
        }
        return becomeSalesReady(Cause.MANUAL, actor, reason, flow, at);
    }

    /** Disqualifies the lead from whatever stage it is in, with a reason. */
    public List<LeadChange> disqualify(String actor, String reason, Instant at) {
        if (status.isFinal()) {
            throw new StateConflict("The lead is already " + status).with("status", status.name());
        }
        status = LeadStatus.DISQUALIFIED;
        closedAt = at;
        updatedAt = at;
        return List.of(new LeadChange.Closed(LeadStatus.DISQUALIFIED.name(), stage, null, Cause.MANUAL, actor, reason));
    }

    /**
     * Back to nurturing: not sales-ready, in the flow's nurture stage, open again if sales had accepted it. A lead in
     * the sales flow it switched to on acceptance goes back to the nurture stage of the flow it came from
     * ({@code origin}, null when the lead never switched).
     */
    public List<LeadChange> recycle(Flow flow, Flow origin, Cause cause, String actor, String reason, Instant at) {
        if (status != LeadStatus.OPEN && status != LeadStatus.ACCEPTED) {
            throw new StateConflict("Only an open or accepted lead can be recycled; it is " + status)
                    .with("status", status.name());
        }
        String nurture = (origin != null ? origin : flow).nurtureStageOrFirst();
        if (origin == null && nurture.equals(stage) && !salesReady && status == LeadStatus.OPEN) {
            throw new StateConflict("The lead is already being nurtured in " + stage);
        }
        List<LeadChange> changes = new ArrayList<>();
        if (salesReady) {
            clearSalesReady();
            changes.add(new LeadChange.SalesReadyCleared(stage, cause, actor, reason));
        }
        status = LeadStatus.OPEN;
        crmLeadId = null;
        acceptedAt = null;
        acceptedBy = null;
        changes.add(origin != null ? switchTo(origin, nurture, cause, actor, reason, at)
                : moveTo(nurture, flow, cause, actor, reason, at));
        return changes;
    }

    /**
     * A disqualified or lost lead is opened again, in the flow's nurture stage (for a lead lost in the sales flow: the
     * nurture stage of the flow it came from, {@code origin}).
     */
    public List<LeadChange> reopen(Flow flow, Flow origin, String actor, String reason, Instant at) {
        if (status != LeadStatus.DISQUALIFIED && status != LeadStatus.LOST) {
            throw new StateConflict("Only a disqualified or lost lead can be reopened; it is " + status)
                    .with("status", status.name());
        }
        String previous = status.name();
        status = LeadStatus.OPEN;
        closedAt = null;
        clearSalesReady();
        if (origin != null) {
            acceptedAt = null;
            acceptedBy = null;
            crmLeadId = null;
            return List.of(switchTo(origin, origin.nurtureStageOrFirst(), Cause.MANUAL, actor, reason, at));
        }
        String from = stage;
        String nurture = flow.nurtureStageOrFirst();
        LeadChange.StageChanged moved = moveTo(nurture, flow, Cause.MANUAL, actor, reason, at);
        return List.of(new LeadChange.Reopened(previous, from, moved.to(), moved.secondsInStage(), Cause.MANUAL, actor,
                reason));
    }

    /**
     * A sales user accepts a sales-ready open lead (sales acceptance in the suite): it becomes theirs unless another
     * owner is named, and it enters the flow's sales-acceptance stage and then the sales flow. The same user accepting
     * again changes nothing; a lead accepted by someone else, or not open and sales-ready, is a 409.
     *
     * @param salesFlow the newest version of the flow's sales flow, null when the flow names none
     */
    public List<LeadChange> acceptBySales(String newOwner, String reason, Flow flow, Flow salesFlow, String actor,
            Instant at) {
        if (status == LeadStatus.ACCEPTED && actor.equals(acceptedBy) && crmLeadId == null
                && (newOwner == null || newOwner.equals(owner))) {
            return List.of();
        }
        if (status != LeadStatus.OPEN) {
            throw new StateConflict("Only a sales-ready open lead can be accepted; it is " + status
                    + (acceptedBy == null ? "" : ", accepted by " + acceptedBy)).with("status", status.name());
        }
        if (!salesReady) {
            throw new StateConflict("Only a sales-ready lead can be accepted; this one is not sales-ready")
                    .with("status", status.name());
        }
        String said = reason == null || reason.isBlank() ? "Accepted by " + actor : reason;
        return enterSalesAcceptance(Cause.MANUAL, actor, null, newOwner == null ? actor : newOwner, said, flow,
                salesFlow, at);
    }

    /**
     * The CRM accepted the lead (sales acceptance): as {@link #acceptBySales}, with the CRM's lead id. Repeating it with
     * the same CRM lead id changes nothing.
     */
    public List<LeadChange> acceptByCrm(String crmLead, String newOwner, Flow flow, Flow salesFlow, String actor,
            Instant at) {
        if (crmLead.equals(crmLeadId) && status != LeadStatus.OPEN) {
            return List.of();
        }
        if (crmLeadId != null) {
            throw new StateConflict("The lead was already accepted as CRM lead " + crmLeadId)
                    .with("crmLeadId", crmLeadId);
        }
        if (status != LeadStatus.OPEN || !salesReady) {
            throw new StateConflict("Only a sales-ready open lead can be accepted; it is " + status
                    + (salesReady ? "" : " and not sales-ready")).with("status", status.name());
        }
        return enterSalesAcceptance(Cause.CRM, actor, crmLead, newOwner, "Accepted by the CRM as " + crmLead, flow,
                salesFlow, at);
    }

    /**
     * Status ACCEPTED (who and when recorded), then the flow's sales-acceptance stage, then, when the flow names a
     * sales flow, the first stage of that flow: the seed's "switch the business process flow to the sales lead to
     * opportunity flow". Each step is a change of its own, so the history shows all three.
     */
    private List<LeadChange> enterSalesAcceptance(Cause cause, String actor, String crmLead, String newOwner,
            String reason, Flow flow, Flow salesFlow, Instant at) {
        status = LeadStatus.ACCEPTED;
        crmLeadId = crmLead;
        if (newOwner != null) {
            owner = newOwner;
        }
        acceptedAt = at;
        acceptedBy = actor;
        updatedAt = at;
        List<LeadChange> changes = new ArrayList<>();
        changes.add(new LeadChange.Accepted(crmLead, owner, stage, cause, actor, reason));
        flow.salesAcceptanceStage().filter(s -> !s.id().equals(stage))
                .ifPresent(s -> changes.add(moveTo(s.id(), flow, cause, actor, reason, at)));
        if (salesFlow != null) {
            changes.add(switchTo(salesFlow, salesFlow.firstStage().id(), cause, actor,
                    "Accepted: on to the " + salesFlow.name() + " flow", at));
        }
        return changes;
    }

    /** The CRM rejected the lead: back to nurturing. Repeating it with the same reason changes nothing. */
    public List<LeadChange> rejectByCrm(String reason, Flow flow, Flow origin, String actor, Instant at) {
        if (status == LeadStatus.OPEN && !salesReady && crmRejectionReason != null) {
            if (crmRejectionReason.equals(reason)) {
                return List.of();
            }
            throw new StateConflict("The lead was already rejected, for another reason: " + crmRejectionReason);
        }
        if (!(status == LeadStatus.OPEN && salesReady) && status != LeadStatus.ACCEPTED) {
            throw new StateConflict("Only a sales-ready or accepted lead can be rejected; it is " + status
                    + (salesReady ? "" : " and not sales-ready")).with("status", status.name());
        }
        String from = stage;
        List<LeadChange> changes = new ArrayList<>();
        changes.add(new LeadChange.Rejected(from, Cause.CRM, actor, reason));
        changes.addAll(recycle(flow, origin, Cause.CRM, actor, "Rejected by the CRM: " + reason, at));
        crmRejectionReason = reason;
        return changes;
    }

    /** The CRM reports an opportunity for an accepted lead. The same report again changes nothing. */
    public List<LeadChange> opportunity(String opportunityId, BigDecimal estimated, LocalDate close, Flow flow,
            String actor, Instant at) {
        if (opportunityId.equals(crmOpportunityId)) {
            if (sameAmount(estimated, estimatedRevenue) && Objects.equals(close, estimatedClose)) {
                return List.of();
            }
            throw new StateConflict("Opportunity " + opportunityId + " was already reported with other "
                    + "figures (estimatedRevenue " + estimatedRevenue + ", estimatedClose " + estimatedClose + ")");
        }
        if (crmOpportunityId != null) {
            throw new StateConflict("The lead already has opportunity " + crmOpportunityId)
                    .with("opportunityId", crmOpportunityId);
        }
        if (status != LeadStatus.ACCEPTED && status != LeadStatus.CONVERTED) {
            throw new StateConflict("Only an accepted lead can become an opportunity; it is " + status)
                    .with("status", status.name());
        }
        status = LeadStatus.CONVERTED;
        crmOpportunityId = opportunityId;
        estimatedRevenue = estimated;
        estimatedClose = close;
        updatedAt = at;
        List<LeadChange> changes = new ArrayList<>();
        changes.add(new LeadChange.OpportunityReported(opportunityId, estimated, close, stage, Cause.CRM, actor,
                "Opportunity " + opportunityId));
        moveToStatusStage(LeadStatus.CONVERTED, flow, actor, "Opportunity " + opportunityId, at)
                .ifPresent(changes::add);
        return changes;
    }

    /** The CRM closes the lead, won or lost. The same close again changes nothing; a different one is a 409. */
    public List<LeadChange> closeByCrm(LeadStatus outcome, BigDecimal amount, String reason, Flow flow, String actor,
            Instant at) {
        if (status == LeadStatus.WON || status == LeadStatus.LOST) {
            if (status == outcome && sameAmount(amount, revenue) && Objects.equals(reason, closeReason)) {
                return List.of();
            }
            throw new StateConflict("The lead was already closed " + status
                    + (revenue == null ? "" : " with revenue " + revenue)).with("status", status.name());
        }
        if (status != LeadStatus.ACCEPTED && status != LeadStatus.CONVERTED) {
            throw new StateConflict("Only an accepted or converted lead can be closed; it is " + status)
                    .with("status", status.name());
        }
        status = outcome;
        revenue = amount;
        closeReason = reason;
        closedAt = at;
        updatedAt = at;
        List<LeadChange> changes = new ArrayList<>();
        changes.add(new LeadChange.Closed(outcome.name(), stage, amount, Cause.CRM, actor,
                reason == null ? "Closed " + outcome : reason));
        flow.closingStage(outcome).filter(s -> flow.position(s.id()) > flow.position(stage))
                .map(s -> moveTo(s.id(), flow, Cause.CRM, actor, "Closed " + outcome, at)).ifPresent(changes::add);
        return changes;
    }

    /**
     * The lead's contact was erased: the free text that may be about the person (source reference, qualification need,
     * close and CRM rejection reasons) is removed and an open lead is disqualified; ids, stages, times
     * and amounts stay so funnels still add up. Final: {@link #requireNotErased()} refuses every later change. Yields
     * whether this closed the lead.
     */
    public boolean erase(Instant at) {
        sourceRef = null;
        need = null;
        closeReason = null;
        crmRejectionReason = null;
        erasedAt = at;
        updatedAt = at;
        if (status.isOpen()) {
            status = LeadStatus.DISQUALIFIED;
            return true;
        }
        return false;
    }

    public boolean erased() {
        return erasedAt != null;
    }

    /** Refuses (409) any change to a lead whose contact was erased: nothing about the person is written again. */
    public void requireNotErased() {
        if (erased()) {
            throw new StateConflict("The lead's contact was erased; the lead takes no further change")
                    .with("status", status.name());
        }
    }

    /** Applies a merge patch of qualification, topic and owner; nothing changed, nothing recorded. */
    public List<LeadChange> update(LeadPatch patch, String actor, Instant at) {
        if (status.isFinal()) {
            throw new StateConflict("The lead is " + status + "; reopen it before changing it")
                    .with("status", status.name());
        }
        List<String> changed = patch.applyTo(this);
        if (changed.isEmpty()) {
            return List.of();
        }
        updatedAt = at;
        return List.of(new LeadChange.Updated(changed, stage, Cause.MANUAL, actor, "Changed " + String.join(", ", changed)));
    }

    /** The stage of the given status, if the flow has one further along than the lead's stage (never backwards). */
    private java.util.Optional<LeadChange> moveToStatusStage(LeadStatus target, Flow flow, String actor, String reason,
            Instant at) {
        return flow.stageWithStatus(target).filter(s -> flow.position(s.id()) > flow.position(stage))
                .map(s -> moveTo(s.id(), flow, Cause.CRM, actor, reason, at));
    }

    private static boolean sameAmount(BigDecimal a, BigDecimal b) {
        return a == null ? b == null : b != null && a.compareTo(b) == 0;
    }

    private LeadChange.StageChanged moveTo(String to, Flow flow, Cause cause, String actor, String reason,
            Instant at) {
        String from = stage;
        long seconds = secondsInStage(at);
        enter(flow, to, at);
        return new LeadChange.StageChanged(from, to, cause, actor, reason, seconds);
    }

    /**
     * Into stage {@code to} of another flow (its own version), keeping the lead's history. Switching to a sales flow
     * remembers the flow the lead came from; switching back to that flow forgets it.
     */
    private LeadChange.FlowSwitched switchTo(Flow target, String to, Cause cause, String actor, String reason,
            Instant at) {
        String fromFlow = flowId;
        String from = stage;
        long seconds = secondsInStage(at);
        if (target.id().equals(originFlowId)) {
            originFlowId = null;
            originFlowVersion = null;
        } else {
            originFlowId = flowId;
            originFlowVersion = flowVersion;
        }
        flowId = target.id();
        flowVersion = target.version();
        enter(target, to, at);
        return new LeadChange.FlowSwitched(fromFlow, from, target.id(), to, cause, actor, reason, seconds);
    }

    private long secondsInStage(Instant at) {
        return stageEnteredAt == null ? 0 : Math.max(0, Duration.between(stageEnteredAt, at).toSeconds());
    }

    private void enter(Flow flow, String to, Instant at) {
        stage = to;
        flow.stage(to).ifPresent(s -> {
            team = s.team();
            if (s.status() != null) {
                status = s.status();
                if (status.isFinal()) {
                    closedAt = at;
                }
            }
        });
        stageEnteredAt = at;
        updatedAt = at;
    }

    /** The sequence of a lead's first event, {@code lead.created}, which {@link #open} reserves. */
    public static final long CREATED_SEQUENCE = 1;

    public long nextEventSequence() {
        return ++eventSequence;
    }
}
