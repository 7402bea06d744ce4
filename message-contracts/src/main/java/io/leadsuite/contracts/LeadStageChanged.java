package io.leadsuite.contracts;

import java.util.UUID;

/**
 * {@code lead.stage-changed} v1, on {@code lead-events}, subject = lead id.
 *
 * @param cause SCORE, MANUAL, CRM or SYSTEM
 * @param actor who made the change (user name, service name)
 */
public record LeadStageChanged(UUID leadId, UUID contactId, String flow, String from, String to, String status,
        String cause, String actor, String reason) implements LeadEvent {
}
