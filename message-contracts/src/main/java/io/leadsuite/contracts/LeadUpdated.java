package io.leadsuite.contracts;

import java.math.BigDecimal;
import java.util.UUID;

/**
 * {@code lead.updated} v1, on {@code lead-events}, subject = lead id. A lead's attributes changed (topic, owner,
 * qualification, or its contact after a merge); carries the attributes scoring's lead rules read, after the change.
 */
public record LeadUpdated(UUID leadId, UUID contactId, String topic, String source, String status, String team,
        String owner, BigDecimal budget, String currency, String timeframe, String need,
        Boolean decisionMaker) implements LeadEvent {
}
