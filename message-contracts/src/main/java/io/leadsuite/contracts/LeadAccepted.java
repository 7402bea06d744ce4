package io.leadsuite.contracts;

import java.util.UUID;

/**
 * {@code lead.accepted} v1, on {@code lead-events}, subject = lead id. The CRM accepted a sales-ready lead (sales
 * acceptance).
 *
 * @param stage the stage the lead is in after the acceptance
 */
public record LeadAccepted(UUID leadId, UUID contactId, String topic, String crmLeadId, String owner, String flow,
        String stage, String status, String actor) implements LeadEvent {
}
