package io.leadsuite.contracts;

import java.util.UUID;

/**
 * {@code lead.sales-ready} v1, on {@code lead-events}, subject = lead id.
 *
 * @param by SCORE or MANUAL
 * @param stage the stage the lead is in after becoming sales-ready
 */
public record LeadSalesReady(UUID leadId, UUID contactId, String topic, String by, String stage) implements LeadEvent {
}
