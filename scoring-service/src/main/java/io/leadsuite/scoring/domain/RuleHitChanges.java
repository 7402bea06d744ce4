package io.leadsuite.scoring.domain;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * The rule-hit changes of one unit of work, collected to be written at its end: a hit added and removed within the
 * unit is never written; the others are the rows to insert (in the order they were added) and to delete.
 */
public final class RuleHitChanges {

    /** A hit of a lead under a model. */
    public record LeadHit(UUID leadId, UUID modelId, RuleHit hit) {
    }

    private final Map<String, LeadHit> inserts = new LinkedHashMap<>();
    private final List<LeadHit> deletes = new ArrayList<>();

    public void add(UUID leadId, UUID modelId, ScoreDelta delta) {
        for (RuleHit removed : delta.removed()) {
            if (inserts.remove(key(leadId, modelId, removed)) == null) {
                deletes.add(new LeadHit(leadId, modelId, removed));
            }
        }
        for (RuleHit added : delta.added()) {
            inserts.put(key(leadId, modelId, added), new LeadHit(leadId, modelId, added));
        }
    }

    /** The hits to insert, in the order they were added. */
    public List<LeadHit> inserts() {
        return List.copyOf(inserts.values());
    }

    /** The stored hits to delete. */
    public List<LeadHit> deletes() {
        return List.copyOf(deletes);
    }

    private static String key(UUID leadId, UUID modelId, RuleHit hit) {
        return leadId + "|" + modelId + "|" + hit.ruleId() + "|" + hit.interactionId();
    }
}
