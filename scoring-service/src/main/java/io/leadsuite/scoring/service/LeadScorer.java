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
import io.leadsuite.scoring.config.ScoringClock;
import io.leadsuite.scoring.domain.ActiveHit;
import io.leadsuite.scoring.domain.ContactRef;
import io.leadsuite.scoring.domain.Interaction;
import io.leadsuite.scoring.domain.InteractionFacts;
import io.leadsuite.scoring.domain.LeadScore;
import io.leadsuite.scoring.domain.ModelDefinition;
import io.leadsuite.scoring.domain.ModelScoring;
import io.leadsuite.scoring.domain.RuleHit;
import io.leadsuite.scoring.domain.ScoreDelta;
import io.leadsuite.scoring.domain.ScoreHistoryEntry;
import io.leadsuite.scoring.domain.Standing;
import io.leadsuite.scoring.domain.TrackedLead;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;

/**
 * Changes tracked leads' scores, incrementally, inside the caller's transaction. Every entry point locks the leads'
 * tracked_lead rows ({@code select ... for update}, in one order), loads each lead's live hits under every published
 * model whose scope admits it, and then:
 * <ul>
 * <li>re-scores the lead from its stored interactions under a model only when its score there was computed with an
 * older version of the model (or the model newly admits the lead), so live scoring never waits for a re-scoring
 * job;</li>
 * <li>drops windowed hits that have expired (decay) and re-evaluates DEMOGRAPHIC and LEAD rules against the contact's
 * and the lead's current attributes;</li>
 * <li>applies the given interactions: each (interaction, lead) is recorded in interaction_application first, and one
 * found there is skipped, so nothing counts twice;</li>
 * <li>writes score rows and history, and publishes one {@code score.changed} per lead (full snapshot, next per-lead
 * sequence) through the outbox when a score, grade or sales-readiness changed, or a model's score appeared or
 * went.</li>
 * </ul>
 */
@ApplicationScoped
public class LeadScorer {

    static final String SOURCE = "scoring-service";
    private static final Logger LOG = Logger.getLogger(LeadScorer.class);

    private final ModelCatalog models;
    private final Outbox outbox;
    private final ScoringClock clock;

    public LeadScorer(ModelCatalog models, Outbox outbox, ScoringClock clock) {
        this.models = models;
        this.outbox = outbox;
        this.clock = clock;
    }

    /** An interaction to apply to a lead. */
    public record Application(InteractionFacts interaction, UUID leadId) {
    }

    /** What became of a refresh: how many leads' snapshots changed. */
    public record Refreshed(int leads, int changed) {
    }

    /** The scoring state of one locked lead during a unit of work. */
    private static final class LeadState {
        final TrackedLead lead;
        final String cause;
        final Map<UUID, ModelScoring> scorings = new LinkedHashMap<>();
        final Map<UUID, LeadScore> rows = new HashMap<>();
        final Map<UUID, Standing> before = new HashMap<>();
        final Map<UUID, String> lastInteraction = new HashMap<>();
        /** Score rows of models that no longer score the lead (retired, or out of scope). */
        final List<LeadScore> dropped = new ArrayList<>();
        String lastInteractionId;
        boolean changed;

        LeadState(TrackedLead lead, String cause) {
            this.lead = lead;
            this.cause = cause;
        }
    }

    /**
     * Applies the interactions, in order, to their leads; {@code leads} may name further leads to bring up to date
     * (decay, facts, model versions). Leads that are not tracked or not open are left alone.
     */
    public Uni<Void> apply(Collection<UUID> leads, List<Application> applications) {
        return run(leads, applications, ScoreHistoryEntry.INTERACTION).replaceWithVoid();
    }

    /**
     * Brings the leads up to date without a new interaction: expired points, changed attributes, a new model version,
     * a retired model. {@code cause} is recorded in the score history.
     */
    public Uni<Refreshed> refresh(Collection<UUID> leads, String cause) {
        return run(leads, List.of(), cause);
    }

    private Uni<Refreshed> run(Collection<UUID> leads, List<Application> applications, String cause) {
        List<UUID> ids = new ArrayList<>(leads);
        applications.forEach(a -> ids.add(a.leadId()));
        List<UUID> ordered = ids.stream().distinct().sorted(Comparator.comparing(UUID::toString)).toList();
        if (ordered.isEmpty()) {
            return Uni.createFrom().item(new Refreshed(0, 0));
        }
        Instant now = clock.now();
        Map<UUID, LeadState> states = new LinkedHashMap<>();
        return models.published().chain(definitions -> each(ordered, id -> TrackedLead
                .<TrackedLead> findById(id, LockModeType.PESSIMISTIC_WRITE)
                .chain(lead -> lead == null || !lead.open ? Uni.createFrom().voidItem()
                        : load(lead, definitions, cause, now).invoke(state -> states.put(id, state))
                                .replaceWithVoid())))
                .chain(() -> each(applications, application -> {
                    LeadState state = states.get(application.leadId());
                    return state == null ? Uni.createFrom().voidItem()
                            : applyOne(state, application.interaction(), now);
                }))
                .chain(() -> each(List.copyOf(states.values()), state -> save(state, now)))
                .map(ignored -> new Refreshed(states.size(),
                        (int) states.values().stream().filter(s -> s.changed).count()));
    }

    private Uni<LeadState> load(TrackedLead lead, List<ModelDefinition> definitions, String cause, Instant now) {
        LeadState state = new LeadState(lead, cause);
        Map<UUID, List<ActiveHit>> hits = new HashMap<>();
        return LeadScore.<LeadScore> list("leadId", lead.leadId)
                .invoke(rows -> rows.forEach(row -> state.rows.put(row.modelId, row)))
                .chain(() -> RuleHit.<RuleHit> list("leadId", lead.leadId))
                .invoke(rows -> rows.forEach(
                        h -> hits.computeIfAbsent(h.modelId, k -> new ArrayList<>()).add(h.active())))
                .chain(() -> ContactRef.<ContactRef> findById(lead.contactId))
                .chain(contact -> {
                    Map<String, Object> contactFacts = contact == null ? Map.of() : contact.attributes();
                    Map<String, Object> leadFacts = lead.attributes();
                    List<ModelDefinition> rebuild = new ArrayList<>();
                    for (ModelDefinition model : definitions) {
                        if (!model.admits(lead.topic)) {
                            continue;
                        }
                        LeadScore row = state.rows.get(model.id());
                        state.before.put(model.id(), row == null ? model.standing(0)
                                : new Standing(row.score, row.grade, row.salesReady));
                        if (row == null || row.modelVersion != model.version()) {
                            rebuild.add(model);
                        } else {
                            state.scorings.put(model.id(),
                                    ModelScoring.restore(model, hits.getOrDefault(model.id(), List.of())));
                        }
                    }
                    for (LeadScore row : state.rows.values()) {
                        if (!state.before.containsKey(row.modelId)) {
                            state.dropped.add(row);
                        }
                    }
                    return rebuild(state, rebuild, now)
                            .chain(() -> each(List.copyOf(state.scorings.values()), scoring -> {
                                ScoreDelta decayed = scoring.expire(now);
                                ScoreDelta facts = scoring.evaluateFacts(contactFacts, leadFacts, now);
                                return write(state, scoring.model(), decayed, now)
                                        .chain(() -> write(state, scoring.model(), facts, now));
                            }));
                })
                .replaceWith(state);
    }

    /**
     * Scores the lead under these models from scratch, from the interactions applied to it so far (oldest first), and
     * replaces its hits under them.
     */
    private Uni<Void> rebuild(LeadState state, List<ModelDefinition> rebuild, Instant now) {
        if (rebuild.isEmpty()) {
            return Uni.createFrom().voidItem();
        }
        UUID leadId = state.lead.leadId;
        return appliedInteractions(leadId).chain(interactions -> each(rebuild, model -> {
            ModelScoring scoring = ModelScoring.fresh(model);
            List<ActiveHit> live = new ArrayList<>();
            for (InteractionFacts interaction : interactions) {
                ScoreDelta delta = scoring.record(interaction, now);
                live.addAll(delta.added());
                live.removeAll(delta.removed());
            }
            live.removeAll(scoring.expire(now).removed());
            state.scorings.put(model.id(), scoring);
            return Panache.getSession()
                    .chain(session -> session.createNativeQuery("delete from rule_hit where lead_id = ?1 "
                            + "and model_id = ?2").setParameter(1, leadId).setParameter(2, model.id()).executeUpdate())
                    .chain(() -> each(live, hit -> insertHit(leadId, model.id(), hit, now)));
        }));
    }

    /** The interactions applied to the lead, oldest first: what a from-scratch score is computed from. */
    public static Uni<List<InteractionFacts>> appliedInteractions(UUID leadId) {
        return Interaction.<Interaction> list("from Interaction i where exists (select 1 from InteractionApplication a "
                + "where a.interactionId = i.id and a.leadId = ?1) order by i.occurredAt, i.id", leadId)
                .map(list -> list.stream().map(InteractionStore::facts).toList());
    }

    private Uni<Void> applyOne(LeadState state, InteractionFacts interaction, Instant now) {
        UUID leadId = state.lead.leadId;
        return Panache.getSession()
                .chain(session -> session.createNativeQuery("insert into interaction_application "
                        + "(interaction_id, lead_id, applied_at) values (?1, ?2, ?3) on conflict do nothing")
                        .setParameter(1, interaction.id())
                        .setParameter(2, leadId)
                        .setParameter(3, now)
                        .executeUpdate())
                .chain(inserted -> {
                    if (inserted == 0) {
                        LOG.debugf("Interaction %s was already applied to lead %s", interaction.id(), leadId);
                        return Uni.createFrom().voidItem();
                    }
                    return each(List.copyOf(state.scorings.values()), scoring -> {
                        ScoreDelta delta = scoring.record(interaction, now);
                        if (delta.isEmpty()) {
                            return Uni.createFrom().voidItem();
                        }
                        state.lastInteractionId = interaction.id();
                        state.lastInteraction.put(scoring.model().id(), interaction.id());
                        return write(state, scoring.model(), delta, now);
                    });
                });
    }

    private Uni<Void> write(LeadState state, ModelDefinition model, ScoreDelta delta, Instant now) {
        if (delta.isEmpty()) {
            return Uni.createFrom().voidItem();
        }
        UUID leadId = state.lead.leadId;
        return each(delta.removed(), hit -> deleteHit(leadId, model.id(), hit))
                .chain(() -> each(delta.added(), hit -> insertHit(leadId, model.id(), hit, now)));
    }

    private static Uni<Void> insertHit(UUID leadId, UUID modelId, ActiveHit hit, Instant now) {
        return Panache.getSession().chain(session -> session.createNativeQuery("insert into rule_hit (lead_id, "
                + "model_id, rule_id, interaction_id, points, occurred_at, recorded_at, expires_at) values (?1, ?2, ?3, "
                + "?4, ?5, ?6, ?7, ?8)")
                .setParameter(1, leadId)
                .setParameter(2, modelId)
                .setParameter(3, hit.ruleId())
                .setParameter(4, hit.interactionId())
                .setParameter(5, hit.points())
                .setParameter(6, hit.occurredAt())
                .setParameter(7, now)
                .setParameter(8, hit.expiresAt())
                .executeUpdate()).replaceWithVoid();
    }

    private static Uni<Void> deleteHit(UUID leadId, UUID modelId, ActiveHit hit) {
        boolean fact = hit.interactionId() == null;
        return Panache.getSession().chain(session -> {
            var query = session.createNativeQuery("delete from rule_hit where lead_id = ?1 and model_id = ?2 "
                    + "and rule_id = ?3 and " + (fact ? "interaction_id is null" : "interaction_id = ?4"))
                    .setParameter(1, leadId)
                    .setParameter(2, modelId)
                    .setParameter(3, hit.ruleId());
            if (!fact) {
                query.setParameter(4, hit.interactionId());
            }
            return query.executeUpdate();
        }).replaceWithVoid();
    }

    /** Writes the lead's score rows and history and, when its standing changed, publishes the new snapshot. */
    private Uni<Void> save(LeadState state, Instant now) {
        boolean changed = !state.dropped.isEmpty();
        List<Uni<Void>> writes = new ArrayList<>();
        List<ScoreChanged.ModelScore> snapshot = new ArrayList<>();
        UUID leadId = state.lead.leadId;
        for (ModelScoring scoring : state.scorings.values()) {
            ModelDefinition model = scoring.model();
            Standing after = scoring.standing();
            boolean standingChanged = !Objects.equals(after, state.before.get(model.id()));
            changed |= standingChanged;
            LeadScore row = state.rows.get(model.id());
            if (row == null) {
                row = new LeadScore();
                row.leadId = leadId;
                row.modelId = model.id();
                writes.add(row.persist().replaceWithVoid());
            }
            if (row.updatedAt == null || row.score != after.score() || !Objects.equals(row.grade, after.grade())
                    || row.salesReady != after.salesReady() || row.modelVersion != model.version()) {
                row.score = after.score();
                row.grade = after.grade();
                row.salesReady = after.salesReady();
                row.modelVersion = model.version();
                row.updatedAt = now;
            }
            if (standingChanged) {
                ScoreHistoryEntry entry = new ScoreHistoryEntry();
                entry.leadId = leadId;
                entry.modelId = model.id();
                entry.modelVersion = model.version();
                entry.score = after.score();
                entry.grade = after.grade();
                entry.salesReady = after.salesReady();
                entry.cause = state.cause;
                entry.interactionId = state.lastInteraction.get(model.id());
                entry.at = now;
                writes.add(entry.persist().replaceWithVoid());
            }
            snapshot.add(new ScoreChanged.ModelScore(model.id(), model.version(), model.name(), after.score(),
                    after.grade(), model.salesReadyThreshold(), after.salesReady()));
        }
        for (LeadScore row : state.dropped) {
            writes.add(Panache.getSession().chain(session -> session.createNativeQuery("delete from rule_hit where "
                    + "lead_id = ?1 and model_id = ?2").setParameter(1, leadId).setParameter(2, row.modelId)
                    .executeUpdate()).chain(() -> row.delete()));
        }
        Uni<Void> written = each(writes, Function.identity());
        if (!changed) {
            return written;
        }
        state.changed = true;
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
