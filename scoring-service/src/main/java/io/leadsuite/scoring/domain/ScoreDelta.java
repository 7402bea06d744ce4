package io.leadsuite.scoring.domain;

import java.util.List;

/** What one step of a lead's scoring changed: hits that now count and hits that stopped counting. */
public record ScoreDelta(List<RuleHit> added, List<RuleHit> removed) {

    public static final ScoreDelta NONE = new ScoreDelta(List.of(), List.of());

    public ScoreDelta {
        added = List.copyOf(added);
        removed = List.copyOf(removed);
    }

    public boolean isEmpty() {
        return added.isEmpty() && removed.isEmpty();
    }

    public int points() {
        return added.stream().mapToInt(RuleHit::points).sum() - removed.stream().mapToInt(RuleHit::points).sum();
    }
}
