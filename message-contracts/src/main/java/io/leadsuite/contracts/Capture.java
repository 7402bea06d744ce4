package io.leadsuite.contracts;

import java.time.Instant;
import java.util.UUID;

/**
 * A form or lead-gen submission, as carried in {@link LeadCreated} and {@link LeadCaptured}. Scoring counts it once
 * as a {@code FORM_SUBMITTED} interaction whose id is {@code captureId}.
 *
 * @param anonymous true when an anonymous visitor sent it through a public web form (no staff, CRM or import behind
 *        it): scoring counts such submissions once per lead per window, so that a form cannot make a lead sales-ready
 */
public record Capture(UUID captureId, Instant at, String source, String sourceRef, boolean anonymous) {

    /** A submission made by the suite's users or systems (staff, CRM, import): not anonymous. */
    public Capture(UUID captureId, Instant at, String source, String sourceRef) {
        this(captureId, at, source, sourceRef, false);
    }
}
