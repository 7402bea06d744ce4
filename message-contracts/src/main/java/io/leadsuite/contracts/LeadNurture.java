package io.leadsuite.contracts;

import java.util.UUID;

/**
 * {@code lead.nurture} v1, on {@code lead-events}, subject = lead id. A nurture trigger fired for the lead, once per
 * occurrence, for a journey or e-mail system to act on.
 *
 * @param kind STAGE_ENTERED, GRADE_REACHED or NO_ACTIVITY
 * @param detail what occurred: the stage entered, the grade reached, or the days without activity
 */
public record LeadNurture(UUID leadId, UUID contactId, String topic, UUID triggerId, String triggerName, String kind,
        String detail) implements LeadEvent {
}
