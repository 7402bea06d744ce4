package io.leadsuite.contracts;

import java.util.UUID;

/** {@code lead.captured} v1, on {@code lead-events}, subject = lead id: a further submission on an open lead. */
public record LeadCaptured(UUID leadId, UUID contactId, String topic, Capture capture) implements LeadEvent {
}
