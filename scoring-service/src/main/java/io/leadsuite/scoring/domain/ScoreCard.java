package io.leadsuite.scoring.domain;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;

/**
 * One lead's scores under the published models during one unit of work (the scoring algorithm, without storage):
 * <ol>
 * <li>{@link #open}: every published model whose scope admits the lead scores it; its score is restored from the
 * stored hits when it was computed with the model's current version, otherwise it must be {@linkplain #rebuild
 * rebuilt} from the interactions applied to the lead; the stored scores of models that no longer score the lead
 * (retired, out of scope) are {@linkplain #dropped() dropped};</li>
 * <li>{@link #refreshFacts}: expired windowed hits go (decay), DEMOGRAPHIC and LEAD rules are evaluated against the
 * contact's and lead's current attributes;</li>
 * <li>{@link #apply}: new interactions, in order;</li>
 * <li>{@link #outcomes()}: each model's standing after, and whether it changed.</li>
 * </ol>
 * Hit changes go to a {@link RuleHitChanges} the caller writes.
 */
public final class ScoreCard {

    /** The stored score of the lead under a model. */
    public record StoredScore(UUID modelId, int modelVersion, Standing standing) {
    }

    /**
     * What the unit of work made of the lead's score under one model.
     *
     * @param lastInteractionId the last interaction that changed the lead's hits under this model, or null
     */
    public record Outcome(CompiledModel model, Standing before, Standing after, String lastInteractionId) {

        public boolean changed() {
            return !Objects.equals(after, before);
        }
    }

    private final UUID leadId;
    private final Map<UUID, RunningScore> scorings = new LinkedHashMap<>();
    private final Map<UUID, Standing> before = new HashMap<>();
    private final Map<UUID, String> lastInteraction = new HashMap<>();
    private final List<CompiledModel> toRebuild = new ArrayList<>();
    private final List<UUID> dropped = new ArrayList<>();
    private String lastInteractionId;

    private ScoreCard(UUID leadId) {
        this.leadId = leadId;
    }

    /**
     * @param published the published models, in their stable order
     * @param stored the lead's stored scores by model id
     * @param hits the lead's stored hits by model id
     */
    public static ScoreCard open(UUID leadId, String topic, List<CompiledModel> published,
            Map<UUID, StoredScore> stored, Map<UUID, StoredHits> hits) {
        ScoreCard card = new ScoreCard(leadId);
        for (CompiledModel model : published) {
            if (!model.admits(topic)) {
                continue;
            }
            StoredScore score = stored.get(model.id());
            card.before.put(model.id(), score == null ? model.standing(0) : score.standing());
            if (score == null || score.modelVersion() != model.version()) {
                card.toRebuild.add(model);
            } else {
                card.scorings.put(model.id(), RunningScore.restore(model, hits.getOrDefault(model.id(), StoredHits.NONE)));
            }
        }
        for (UUID model : stored.keySet()) {
            if (!card.before.containsKey(model)) {
                card.dropped.add(model);
            }
        }
        return card;
    }

    public UUID leadId() {
        return leadId;
    }

    /** The models whose score must be rebuilt from the lead's applied interactions before anything else. */
    public List<CompiledModel> toRebuild() {
        return List.copyOf(toRebuild);
    }

    /** The models whose stored score (and hits) go: they no longer score the lead. */
    public List<UUID> dropped() {
        return List.copyOf(dropped);
    }

    /**
     * Scores the lead under the model from scratch, from the interactions applied to it (oldest first).
     *
     * @return the hits that count now: what the lead's stored hits under the model are replaced with
     */
    public List<RuleHit> rebuild(CompiledModel model, List<InteractionFacts> interactions, Instant now) {
        RunningScore scoring = RunningScore.fresh(model);
        List<RuleHit> live = new ArrayList<>();
        for (InteractionFacts interaction : interactions) {
            ScoreDelta delta = scoring.record(interaction, now);
            live.addAll(delta.added());
            live.removeAll(delta.removed());
        }
        live.removeAll(scoring.expire(now).removed());
        scorings.put(model.id(), scoring);
        return live;
    }

    /** Drops expired hits and evaluates the DEMOGRAPHIC and LEAD rules against the current attributes. */
    public void refreshFacts(Map<String, Object> contactFacts, Map<String, Object> leadFacts, Instant now,
            RuleHitChanges changes) {
        for (RunningScore scoring : scorings.values()) {
            changes.add(leadId, scoring.model().id(), scoring.expire(now));
            changes.add(leadId, scoring.model().id(), scoring.evaluateFacts(contactFacts, leadFacts, now));
        }
    }

    /** Applies one interaction under every model (the caller made sure it counts for the lead, once). */
    public void apply(InteractionFacts interaction, Instant now, RuleHitChanges changes) {
        for (RunningScore scoring : scorings.values()) {
            ScoreDelta delta = scoring.record(interaction, now);
            if (!delta.isEmpty()) {
                lastInteractionId = interaction.id();
                lastInteraction.put(scoring.model().id(), interaction.id());
                changes.add(leadId, scoring.model().id(), delta);
            }
        }
    }

    /** Each scoring model's outcome, in a stable order (restored models first, then rebuilt ones). */
    public List<Outcome> outcomes() {
        List<Outcome> outcomes = new ArrayList<>();
        for (RunningScore scoring : scorings.values()) {
            UUID model = scoring.model().id();
            outcomes.add(new Outcome(scoring.model(), before.get(model), scoring.standing(),
                    lastInteraction.get(model)));
        }
        return outcomes;
    }

    /** Whether the lead's scores changed: a standing changed, or a model's score appeared or went. */
    public boolean changed() {
        return !dropped.isEmpty() || outcomes().stream().anyMatch(Outcome::changed);
    }

    /** The last interaction that changed the lead's hits in this unit of work, or null. */
    public String lastInteractionId() {
        return lastInteractionId;
    }
}
