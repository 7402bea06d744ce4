package io.leadsuite.scoring.domain;

import java.util.List;

/**
 * A lead's stored hits under one model, as a running score needs them to go on ({@link RunningScore#restore}): every
 * hit that can still change as it is (a windowed hit expires or is displaced, a DEMOGRAPHIC or LEAD hit goes when its
 * rule stops holding), and the hits of BEHAVIOUR rules without window only counted, per rule. Those never change once
 * recorded and a lead collects them without bound (a visit, an opened e-mail); what a running score needs of them is
 * how many count against the rule's cap and how many points they add up to.
 *
 * @param live the windowed and fact hits, each as stored
 * @param counted the hits of each BEHAVIOUR rule without window, counted
 */
public record StoredHits(List<RuleHit> live, List<Tally> counted) {

    public static final StoredHits NONE = new StoredHits(List.of(), List.of());

    /** How many hits of a rule are stored for the lead, and the sum of their points. */
    public record Tally(String ruleId, int times, int points) {
    }

    public StoredHits {
        live = List.copyOf(live);
        counted = List.copyOf(counted);
    }

    /** Every hit as it is (none counted). */
    public static StoredHits of(List<RuleHit> hits) {
        return new StoredHits(hits, List.of());
    }
}
