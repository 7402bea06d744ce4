package io.leadsuite.contracts;

import java.math.BigDecimal;
import java.time.LocalDate;
import java.util.UUID;

/**
 * {@code lead.opportunity} v1, on {@code lead-events}, subject = lead id. The CRM reported an opportunity for an
 * accepted lead (status CONVERTED).
 */
public record LeadOpportunity(UUID leadId, UUID contactId, String topic, String crmLeadId, String opportunityId,
        BigDecimal estimatedRevenue, LocalDate estimatedClose, String flow, String stage, String status,
        String actor) implements LeadEvent {
}
