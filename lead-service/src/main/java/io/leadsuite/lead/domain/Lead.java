package io.leadsuite.lead.domain;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import jakarta.persistence.Convert;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import jakarta.persistence.Version;

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
    @Convert(converter = LeadScoresConverter.class)
    public List<LeadScore> scores = new ArrayList<>();
    /** Sequence of the last applied score.changed; lower ones are stale. */
    public long scoreSequence;
    /** Sequence of the last event published about this lead. */
    public long eventSequence;
    public Instant stageEnteredAt;
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
        return lead;
    }

    /** The outcome of a score update: whether it was applied, and the changes it caused. */
    public record ScoreApplication(boolean applied, List<LeadChange> changes) {
        static final ScoreApplication STALE = new ScoreApplication(false, List.of());
    }

    /**
     * Applies a score snapshot with its per-lead sequence. A snapshot not newer than the last applied one is stale
     * and changes nothing. On an open lead, the first score starts automated qualification and crossing a threshold
     * makes the lead sales-ready (by SCORE) and moves it on, as the flow's automation says.
     */
    public ScoreApplication applyScores(long sequence, List<LeadScore> snapshot, boolean anySalesReady, Flow flow,
            Instant at) {
        if (sequence <= scoreSequence) {
            return ScoreApplication.STALE;
        }
        scoreSequence = sequence;
        scores = new ArrayList<>(snapshot);
        updatedAt = at;
        List<LeadChange> changes = new ArrayList<>();
        if (!status.isOpen()) {
            return new ScoreApplication(true, changes);
        }
        flow.automaticTarget(Trigger.SCORED, stage)
                .ifPresent(to -> changes.add(moveTo(to, flow, Cause.SCORE, SCORING_ACTOR, "Scoring started", at)));
        if (anySalesReady && !salesReady) {
            salesReady = true;
            salesReadyBy = Cause.SCORE.name();
            salesReadyAt = at;
            changes.add(new LeadChange.BecameSalesReady(Cause.SCORE.name(), stage, Cause.SCORE, SCORING_ACTOR,
                    "Sales-ready threshold reached"));
            flow.automaticTarget(Trigger.SALES_READY, stage).ifPresent(to -> changes
                    .add(moveTo(to, flow, Cause.SCORE, SCORING_ACTOR, "Sales-ready threshold reached", at)));
        }
        return new ScoreApplication(true, changes);
    }

    private LeadChange.StageChanged moveTo(String to, Flow flow, Cause cause, String actor, String reason,
            Instant at) {
        String from = stage;
        stage = to;
        team = flow.stage(to).map(Flow.Stage::team).orElse(team);
        stageEnteredAt = at;
        updatedAt = at;
        return new LeadChange.StageChanged(from, to, cause, actor, reason);
    }

    public long nextEventSequence() {
        return ++eventSequence;
    }
}
