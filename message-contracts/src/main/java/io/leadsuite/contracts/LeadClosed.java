package io.leadsuite.contracts;

import java.math.BigDecimal;
import java.util.UUID;

/**
 * {@code lead.closed} v1, on {@code lead-events}, subject = lead id. The lead was closed: WON or LOST (reported by the
 * CRM, or a move into a stage that closes it) or DISQUALIFIED (by a person).
 *
 * @param outcome WON, LOST or DISQUALIFIED
 */
public record LeadClosed(UUID leadId, UUID contactId, String topic, String outcome, BigDecimal revenue, String reason,
        String crmLeadId, String opportunityId, String flow, String stage, String status, String cause,
        String actor) implements LeadEvent {
}
