package io.leadsuite.contracts;

import java.time.Instant;
import java.util.UUID;

/**
 * {@code lead.sla-breached} v1, on {@code lead-events}, subject = lead id. The lead stayed in {@code stage} longer than
 * the stage's SLA ({@code slaHours}) allows; published once per stay in the stage.
 */
public record LeadSlaBreached(UUID leadId, UUID contactId, String stage, String team, String owner, int slaHours,
        Instant enteredAt, Instant dueAt) implements LeadEvent {
}
