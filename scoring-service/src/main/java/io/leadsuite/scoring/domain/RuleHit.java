package io.leadsuite.scoring.domain;

import java.time.Instant;
import java.util.Comparator;

/**
 * A rule hit that counts in a lead's score under a model.
 *
 * @param interactionId the interaction behind a BEHAVIOUR hit; null for a DEMOGRAPHIC or LEAD hit (a fact about the
 *        contact or lead, not an event)
 * @param occurredAt when the interaction happened (for a fact: when the rule started to hold)
 * @param expiresAt when a windowed hit stops counting; null when it never expires
 */
public record RuleHit(String ruleId, String interactionId, int points, Instant occurredAt, Instant expiresAt) {

    /** Oldest first; ties broken by interaction id, so every replay orders hits alike. */
    public static final Comparator<RuleHit> CHRONOLOGICAL = Comparator.comparing(RuleHit::occurredAt)
            .thenComparing(h -> h.interactionId() == null ? "" : h.interactionId());

    public boolean expiredAt(Instant now) {
        return expiresAt != null && !expiresAt.isAfter(now);
    }
}
