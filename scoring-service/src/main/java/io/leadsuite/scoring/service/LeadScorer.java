package io.leadsuite.scoring.service;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;
import java.util.function.Function;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.LockModeType;

import org.jboss.logging.Logger;

import io.leadsuite.contracts.Envelope;
import io.leadsuite.contracts.EventTypes;
import io.leadsuite.contracts.ScoreChanged;
import io.leadsuite.kit.outbox.Outbox;
import io.leadsuite.scoring.domain.Hit;
import io.leadsuite.scoring.domain.InteractionFacts;
import io.leadsuite.scoring.domain.LeadScore;
import io.leadsuite.scoring.domain.ModelDefinition;
import io.leadsuite.scoring.domain.ModelScoring;
import io.leadsuite.scoring.domain.RuleHit;
import io.leadsuite.scoring.domain.Standing;
import io.leadsuite.scoring.domain.TrackedLead;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;

/**
 * Applies stored interactions to tracked leads, incrementally: each application adds the hits of the rules that fire
 * (rule_hit) to the lead's score under every published model whose scope admits the lead. Runs inside the caller's
 * transaction and:
 * <ul>
 * <li>locks every lead's tracked_lead row ({@code select ... for update}, in one order) before reading its scores, so
 * concurrent interactions for one lead never lose an update;</li>
 * <li>records each (interaction, lead) in interaction_application first; an application found there is skipped, so
 * nothing counts twice;</li>
 * <li>publishes one {@code score.changed} per lead (full snapshot, next per-lead sequence) through the outbox when a
 * score, grade or sales-readiness changed.</li>
 * </ul>
 */
@ApplicationScoped
public class LeadScorer {

    static final String SOURCE = "scoring-service";
    private static final Logger LOG = Logger.getLogger(LeadScorer.class);

    private final ModelCatalog models;
    private final Outbox outbox;

    public LeadScorer(ModelCatalog models, Outbox outbox) {
        this.models = models;
        this.outbox = outbox;
    }

    /** An interaction to apply to a lead. */
    public record Application(InteractionFacts interaction, UUID leadId) {
    }

    /** The scoring state of one locked lead during a unit of work. */
    private static final class LeadState {
        final TrackedLead lead;
        final Map<UUID, ModelScoring> scorings = new LinkedHashMap<>();
        final Map<UUID, LeadScore> rows = new HashMap<>();
        final Map<UUID, Standing> before = new HashMap<>();
        String lastInteractionId;

        LeadState(TrackedLead lead) {
            this.lead = lead;
        }
    }

    /**
     * Applies the interactions, in order, to their leads; {@code leads} may name further leads whose score rows should
     * exist (a newly tracked lead). Leads that are not tracked or not open are left alone.
     */
    public Uni<Void> apply(Collection<UUID> leads, List<Application> applications) {
        List<UUID> ids = new ArrayList<>(leads);
        applications.forEach(a -> ids.add(a.leadId()));
        List<UUID> ordered = ids.stream().distinct().sorted(Comparator.comparing(UUID::toString)).toList();
        if (ordered.isEmpty()) {
            return Uni.createFrom().voidItem();
        }
        Map<UUID, LeadState> states = new LinkedHashMap<>();
        return models.published().chain(definitions -> each(ordered, id -> TrackedLead
                .<TrackedLead> findById(id, LockModeType.PESSIMISTIC_WRITE)
                .chain(lead -> lead == null || !lead.open ? Uni.createFrom().voidItem()
                        : load(lead, definitions).invoke(state -> states.put(id, state)).replaceWithVoid())))
                .chain(() -> each(applications, application -> {
                    LeadState state = states.get(application.leadId());
                    return state == null ? Uni.createFrom().voidItem() : applyOne(state, application.interaction());
                }))
                .chain(() -> each(List.copyOf(states.values()), this::save));
    }

    private Uni<LeadState> load(TrackedLead lead, List<ModelDefinition> definitions) {
        LeadState state = new LeadState(lead);
        return LeadScore.<LeadScore> list("leadId", lead.leadId)
                .invoke(rows -> rows.forEach(row -> state.rows.put(row.modelId, row)))
                .chain(() -> Panache.getSession().chain(session -> session.createSelectionQuery(
                        "select h.modelId, h.ruleId, count(h) from RuleHit h where h.leadId = ?1 "
                                + "group by h.modelId, h.ruleId",
                        Object[].class).setParameter(1, lead.leadId).getResultList()))
                .map(counts -> {
                    Map<UUID, Map<String, Integer>> times = new HashMap<>();
                    for (Object[] row : counts) {
                        times.computeIfAbsent((UUID) row[0], k -> new HashMap<>()).put((String) row[1],
                                ((Number) row[2]).intValue());
                    }
                    for (ModelDefinition model : definitions) {
                        if (!model.admits(lead.topic)) {
                            continue;
                        }
                        LeadScore row = state.rows.get(model.id());
                        int score = row == null ? 0 : row.score;
                        state.scorings.put(model.id(), new ModelScoring(model, score, times.get(model.id())));
                        state.before.put(model.id(), row == null ? model.standing(0)
                                : new Standing(row.score, row.grade, row.salesReady));
                    }
                    return state;
                });
    }

    private Uni<Void> applyOne(LeadState state, InteractionFacts interaction) {
        UUID leadId = state.lead.leadId;
        return Panache.getSession()
                .chain(session -> session.createNativeQuery("insert into interaction_application "
                        + "(interaction_id, lead_id, applied_at) values (?1, ?2, ?3) on conflict do nothing")
                        .setParameter(1, interaction.id())
                        .setParameter(2, leadId)
                        .setParameter(3, Instant.now())
                        .executeUpdate())
                .chain(inserted -> {
                    if (inserted == 0) {
                        LOG.debugf("Interaction %s was already applied to lead %s", interaction.id(), leadId);
                        return Uni.createFrom().voidItem();
                    }
                    List<RuleHit> hits = new ArrayList<>();
                    Instant now = Instant.now();
                    for (ModelScoring scoring : state.scorings.values()) {
                        for (Hit hit : scoring.apply(interaction)) {
                            RuleHit row = new RuleHit();
                            row.leadId = leadId;
                            row.modelId = scoring.model().id();
                            row.ruleId = hit.ruleId();
                            row.interactionId = interaction.id();
                            row.points = hit.points();
                            row.occurredAt = interaction.occurredAt();
                            row.recordedAt = now;
                            hits.add(row);
                        }
                    }
                    if (hits.isEmpty()) {
                        return Uni.createFrom().voidItem();
                    }
                    state.lastInteractionId = interaction.id();
                    return each(hits, hit -> hit.persist().replaceWithVoid());
                });
    }

    /** Writes the lead's score rows and, when its standing changed under any model, publishes the new snapshot. */
    private Uni<Void> save(LeadState state) {
        Instant now = Instant.now();
        boolean changed = false;
        List<Uni<Void>> writes = new ArrayList<>();
        List<ScoreChanged.ModelScore> snapshot = new ArrayList<>();
        for (ModelScoring scoring : state.scorings.values()) {
            ModelDefinition model = scoring.model();
            Standing after = scoring.standing();
            changed |= !Objects.equals(after, state.before.get(model.id()));
            LeadScore row = state.rows.get(model.id());
            if (row == null) {
                row = new LeadScore();
                row.leadId = state.lead.leadId;
                row.modelId = model.id();
                writes.add(row.persist().replaceWithVoid());
            }
            if (row.updatedAt == null || row.score != after.score() || !Objects.equals(row.grade, after.grade())
                    || row.salesReady != after.salesReady()) {
                row.score = after.score();
                row.grade = after.grade();
                row.salesReady = after.salesReady();
                row.updatedAt = now;
            }
            snapshot.add(new ScoreChanged.ModelScore(model.id(), model.version(), model.name(), after.score(),
                    after.grade(), model.salesReadyThreshold(), after.salesReady()));
        }
        Uni<Void> written = each(writes, Function.identity());
        if (!changed) {
            return written;
        }
        TrackedLead lead = state.lead;
        lead.updatedAt = now;
        boolean salesReady = snapshot.stream().anyMatch(ScoreChanged.ModelScore::salesReady);
        ScoreChanged payload = new ScoreChanged(lead.leadId, lead.contactId, snapshot, salesReady,
                state.lastInteractionId);
        return written.chain(() -> outbox.add(Envelope.of(EventTypes.SCORE_CHANGED, SOURCE, now, lead.leadId,
                lead.nextSequence(), payload)));
    }

    /** Runs the steps one after another (never concurrently: they share the session). */
    static <T> Uni<Void> each(List<T> items, Function<T, Uni<Void>> step) {
        if (items.isEmpty()) {
            return Uni.createFrom().voidItem();
        }
        return Multi.createFrom().iterable(items)
                .onItem().transformToUniAndConcatenate(item -> step.apply(item).replaceWith(Boolean.TRUE))
                .collect().last()
                .replaceWithVoid();
    }
}
