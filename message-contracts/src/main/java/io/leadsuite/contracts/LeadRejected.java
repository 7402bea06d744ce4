package io.leadsuite.contracts;

import java.util.UUID;

/**
 * {@code lead.rejected} v1, on {@code lead-events}, subject = lead id. The CRM rejected the lead; it went back to
 * nurturing (no longer sales-ready).
 *
 * @param stage the nurture stage the lead is in after the rejection
 */
public record LeadRejected(UUID leadId, UUID contactId, String topic, String reason, String flow, String stage,
        String status, String actor) implements LeadEvent {
}
