package io.leadsuite.contracts;

import java.util.UUID;

/**
 * {@code lead.created} v1, on {@code lead-events}, subject = lead id.
 *
 * @param capture the submission that created the lead, or null when the lead was created otherwise
 */
public record LeadCreated(UUID leadId, UUID contactId, String topic, String source, String sourceRef, String flow,
        String stage, String status, Capture capture) implements LeadEvent {
}
