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
        HitWriter writer = new HitWriter(now);
        return models.published().chain(definitions -> lockAll(ordered)
                .chain(locked -> loadAll(locked, definitions, cause, now, writer))
                .invoke(loaded -> loaded.forEach(state -> states.put(state.lead.leadId, state))))
                .chain(() -> recordApplications(states, applications, now))
                .invoke(fresh -> {
                    for (Application application : applications) {
                        LeadState state = states.get(application.leadId());
                        if (state != null && fresh.remove(application.interaction().id() + "|" + state.lead.leadId)) {
                            applyOne(state, application.interaction(), now, writer);
                        }
                    }
                })
                .chain(() -> writer.flush())
                .chain(() -> {
                    List<ScoreHistoryEntry> history = new ArrayList<>();
                    List<Envelope<ScoreChanged>> events = new ArrayList<>();
                    return each(List.copyOf(states.values()), state -> save(state, now, history, events))
                            .chain(() -> insertHistory(history))
                            .chain(() -> outbox.addAll(events));
                })
                .map(ignored -> new Refreshed(states.size(),
                        (int) states.values().stream().filter(s -> s.changed).count()));
    }

    /** Locks the leads' rows in lead-id order (the order every path uses) and yields the open ones. */
    private static Uni<List<TrackedLead>> lockAll(List<UUID> ids) {
        return Panache.getSession().chain(session -> session.createSelectionQuery(
                "from TrackedLead t where t.leadId in ?1 order by t.leadId", TrackedLead.class)
                .setParameter(1, ids).setLockMode(LockModeType.PESSIMISTIC_WRITE).getResultList())
                .map(leads -> leads.stream().filter(lead -> lead.open).toList());
    }

    /**
     * Records each (interaction, lead) in interaction_application in multi-row statements; yields the pairs
     * ({@code interactionId|leadId}) that were new, the only ones to apply.
     */
    private static Uni<java.util.Set<String>> recordApplications(Map<UUID, LeadState> states,
            List<Application> applications, Instant now) {
        List<Application> relevant = applications.stream().filter(a -> states.containsKey(a.leadId())).toList();
        java.util.Set<String> fresh = new java.util.HashSet<>();
        List<List<Application>> chunks = new ArrayList<>();
        for (int i = 0; i < relevant.size(); i += 1000) {
            chunks.add(relevant.subList(i, Math.min(relevant.size(), i + 1000)));
        }
        return each(chunks, chunk -> Panache.getSession().chain(session -> {
            StringBuilder sql = new StringBuilder("insert into interaction_application (interaction_id, lead_id, "
                    + "applied_at) values ");
            for (int i = 0; i < chunk.size(); i++) {
                sql.append(i == 0 ? "" : ", ").append("(?").append(2 * i + 1).append(", ?").append(2 * i + 2)
                        .append(", ?").append(2 * chunk.size() + 1).append(')');
            }
            sql.append(" on conflict do nothing returning interaction_id || '|' || cast(lead_id as text)");
            var query = session.createNativeQuery(sql.toString(), String.class);
            for (int i = 0; i < chunk.size(); i++) {
                query.setParameter(2 * i + 1, chunk.get(i).interaction().id());
                query.setParameter(2 * i + 2, chunk.get(i).leadId());
            }
            query.setParameter(2 * chunk.size() + 1, now);
            return query.getResultList().invoke(fresh::addAll).replaceWithVoid();
        })).replaceWith(fresh);
    }

    private Uni<List<LeadState>> loadAll(List<TrackedLead> leads, List<ModelDefinition> definitions, String cause,
            Instant now, HitWriter writer) {
        if (leads.isEmpty()) {
            return Uni.createFrom().item(List.of());
        }
        List<UUID> ids = leads.stream().map(l -> l.leadId).toList();
        List<UUID> contactIds = leads.stream().map(l -> l.contactId).distinct().toList();
        Map<UUID, List<LeadScore>> rows = new HashMap<>();
        Map<UUID, List<RuleHit>> hits = new HashMap<>();
        Map<UUID, ContactRef> contacts = new HashMap<>();
        List<LeadState> states = new ArrayList<>();
        return LeadScore.<LeadScore> list("leadId in ?1", ids)
                .invoke(list -> list.forEach(r -> rows.computeIfAbsent(r.leadId, k -> new ArrayList<>()).add(r)))
                .chain(() -> RuleHit.<RuleHit> list("leadId in ?1", ids))
                .invoke(list -> list.forEach(h -> hits.computeIfAbsent(h.leadId, k -> new ArrayList<>()).add(h)))
                .chain(() -> ContactRef.<ContactRef> list("contactId in ?1", contactIds))
                .invoke(list -> list.forEach(c -> contacts.put(c.contactId, c)))
                .chain(() -> each(leads, lead -> load(lead, definitions, cause, now, rows.getOrDefault(lead.leadId,
                        List.of()), hits.getOrDefault(lead.leadId, List.of()), contacts.get(lead.contactId), writer)
                        .invoke(states::add).replaceWithVoid()))
                .replaceWith(states);
    }

    private Uni<LeadState> load(TrackedLead lead, List<ModelDefinition> definitions, String cause, Instant now,
            List<LeadScore> scoreRows, List<RuleHit> hitRows, ContactRef contact, HitWriter writer) {
        LeadState state = new LeadState(lead, cause);
        scoreRows.forEach(row -> state.rows.put(row.modelId, row));
        Map<UUID, List<ActiveHit>> hits = new HashMap<>();
        hitRows.forEach(h -> hits.computeIfAbsent(h.modelId, k -> new ArrayList<>()).add(h.active()));
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
                state.scorings.put(model.id(), ModelScoring.restore(model, hits.getOrDefault(model.id(), List.of())));
            }
        }
        for (LeadScore row : state.rows.values()) {
            if (!state.before.containsKey(row.modelId)) {
                state.dropped.add(row);
            }
        }
        return rebuild(state, rebuild, now).invoke(() -> {
            for (ModelScoring scoring : state.scorings.values()) {
                writer.write(lead.leadId, scoring.model().id(), scoring.expire(now));
                writer.write(lead.leadId, scoring.model().id(), scoring.evaluateFacts(contactFacts, leadFacts, now));
            }
        }).replaceWith(state);
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

    private static void applyOne(LeadState state, InteractionFacts interaction, Instant now, HitWriter writer) {
        for (ModelScoring scoring : state.scorings.values()) {
            ScoreDelta delta = scoring.record(interaction, now);
            if (!delta.isEmpty()) {
                state.lastInteractionId = interaction.id();
                state.lastInteraction.put(scoring.model().id(), interaction.id());
                writer.write(state.lead.leadId, scoring.model().id(), delta);
            }
        }
    }

    /**
     * Collects hit changes of a unit of work and writes them at the end: a hit added and removed within the unit is
     * never written; the others are inserted in multi-row statements.
     */
    private static final class HitWriter {
        private final Instant now;
        private final Map<String, Object[]> inserts = new LinkedHashMap<>();
        private final List<Object[]> deletes = new ArrayList<>();

        HitWriter(Instant now) {
            this.now = now;
        }

        void write(UUID leadId, UUID modelId, ScoreDelta delta) {
            for (ActiveHit removed : delta.removed()) {
                if (inserts.remove(key(leadId, modelId, removed)) == null) {
                    deletes.add(new Object[] { leadId, modelId, removed });
                }
            }
            for (ActiveHit added : delta.added()) {
                inserts.put(key(leadId, modelId, added), new Object[] { leadId, modelId, added });
            }
        }

        private static String key(UUID leadId, UUID modelId, ActiveHit hit) {
            return leadId + "|" + modelId + "|" + hit.ruleId() + "|" + hit.interactionId();
        }

        Uni<Void> flush() {
            List<Object[]> rows = List.copyOf(inserts.values());
            List<List<Object[]>> chunks = new ArrayList<>();
            for (int i = 0; i < rows.size(); i += 500) {
                chunks.add(rows.subList(i, Math.min(rows.size(), i + 500)));
            }
            return each(deletes, d -> deleteHit((UUID) d[0], (UUID) d[1], (ActiveHit) d[2]))
                    .chain(() -> each(chunks, chunk -> Panache.getSession().chain(session -> {
                        StringBuilder sql = new StringBuilder("insert into rule_hit (lead_id, model_id, rule_id, "
                                + "interaction_id, points, occurred_at, recorded_at, expires_at) values ");
                        int p = 0;
                        for (int i = 0; i < chunk.size(); i++) {
                            sql.append(i == 0 ? "" : ", ").append("(?").append(++p).append(", ?").append(++p)
                                    .append(", ?").append(++p).append(", ?").append(++p).append(", ?").append(++p)
                                    .append(", ?").append(++p).append(", ?").append(++p).append(", ?").append(++p)
                                    .append(')');
                        }
                        var query = session.createNativeQuery(sql.toString());
                        p = 0;
                        for (Object[] row : chunk) {
                            ActiveHit hit = (ActiveHit) row[2];
                            query.setParameter(++p, row[0]);
                            query.setParameter(++p, row[1]);
                            query.setParameter(++p, hit.ruleId());
                            query.setParameter(++p, hit.interactionId());
                            query.setParameter(++p, hit.points());
                            query.setParameter(++p, hit.occurredAt());
                            query.setParameter(++p, now);
                            query.setParameter(++p, hit.expiresAt());
                        }
                        return query.executeUpdate().replaceWithVoid();
                    })));
        }
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

    /**
     * Writes the lead's score rows and history and, when its standing changed, adds the new snapshot to the events
     * the run publishes.
     */
    private Uni<Void> save(LeadState state, Instant now, List<ScoreHistoryEntry> history,
            List<Envelope<ScoreChanged>> events) {
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
                history.add(entry);
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
        events.add(Envelope.of(EventTypes.SCORE_CHANGED, SOURCE, now, lead.leadId, lead.nextSequence(), payload));
        return written;
    }

    /** Writes the history entries in multi-row statements. */
    private static Uni<Void> insertHistory(List<ScoreHistoryEntry> history) {
        List<List<ScoreHistoryEntry>> chunks = new ArrayList<>();
        for (int i = 0; i < history.size(); i += 500) {
            chunks.add(history.subList(i, Math.min(history.size(), i + 500)));
        }
        return each(chunks, chunk -> Panache.getSession().chain(session -> {
            StringBuilder sql = new StringBuilder("insert into lead_score_history (lead_id, model_id, model_version, "
                    + "score, grade, sales_ready, cause, interaction_id, at) values ");
            int p = 0;
            for (int i = 0; i < chunk.size(); i++) {
                sql.append(i == 0 ? "(" : ", (");
                for (int c = 0; c < 9; c++) {
                    sql.append(c == 0 ? "?" : ", ?").append(++p);
                }
                sql.append(')');
            }
            var query = session.createNativeQuery(sql.toString());
            p = 0;
            for (ScoreHistoryEntry e : chunk) {
                query.setParameter(++p, e.leadId);
                query.setParameter(++p, e.modelId);
                query.setParameter(++p, e.modelVersion);
                query.setParameter(++p, e.score);
                query.setParameter(++p, e.grade);
                query.setParameter(++p, e.salesReady);
                query.setParameter(++p, e.cause);
                query.setParameter(++p, e.interactionId);
                query.setParameter(++p, e.at);
            }
            return query.executeUpdate().replaceWithVoid();
        }));
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
