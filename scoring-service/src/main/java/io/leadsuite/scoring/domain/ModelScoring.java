package io.leadsuite.scoring.domain;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A lead's running score under one model: applies interactions one at a time, incrementally. Every rule of the model
 * that matches an interaction fires (several may), unless it has already counted {@code maxTimes} times for the lead;
 * the score moves by exactly the points of the hits, so it always equals the sum of the lead's hits.
 */
public final class ModelScoring {

    private final ModelDefinition model;
    private final Map<String, Integer> timesCounted;
    private int score;

    /**
     * @param score the lead's current score under the model (the sum of its earlier hits)
     * @param timesCounted how often each rule (by id) has counted for the lead so far
     */
    public ModelScoring(ModelDefinition model, int score, Map<String, Integer> timesCounted) {
        this.model = model;
        this.score = score;
        this.timesCounted = new HashMap<>(timesCounted == null ? Map.of() : timesCounted);
    }

    public static ModelScoring fresh(ModelDefinition model) {
        return new ModelScoring(model, 0, Map.of());
    }

    /** Applies one interaction and returns the hits it produced (possibly none). */
    public List<Hit> apply(InteractionFacts interaction) {
        List<Hit> hits = new ArrayList<>();
        for (ScoringRule rule : model.rules()) {
            int times = timesCounted.getOrDefault(rule.id(), 0);
            if (rule.matches(interaction) && rule.allowsAnotherAfter(times)) {
                timesCounted.put(rule.id(), times + 1);
                score = Math.addExact(score, rule.points());
                hits.add(new Hit(rule.id(), rule.points()));
            }
        }
        return hits;
    }

    public ModelDefinition model() {
        return model;
    }

    public int score() {
        return score;
    }

    public Standing standing() {
        return model.standing(score);
    }
}
