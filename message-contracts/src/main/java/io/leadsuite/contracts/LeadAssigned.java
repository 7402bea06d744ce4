package io.leadsuite.contracts;

import java.util.UUID;

/**
 * {@code lead.assigned} v1, on {@code lead-events}, subject = lead id. A routing rule assigned the lead, on entering
 * {@code stage}, to {@code team} and, when the rule names members, to {@code owner} (round-robin; null otherwise).
 */
public record LeadAssigned(UUID leadId, UUID contactId, String stage, String team, String owner, UUID ruleId,
        String ruleName) implements LeadEvent {
}
