package io.leadsuite.contracts;

import java.time.Instant;
import java.util.UUID;

/**
 * A form or lead-gen submission, as carried in {@link LeadCreated} and {@link LeadCaptured}. Scoring counts it once
 * as a {@code FORM_SUBMITTED} interaction whose id is {@code captureId}.
 */
public record Capture(UUID captureId, Instant at, String source, String sourceRef) {
}
