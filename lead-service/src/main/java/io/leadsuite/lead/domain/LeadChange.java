package io.leadsuite.lead.domain;

import java.math.BigDecimal;
import java.time.LocalDate;
import java.util.List;

/** A change to a lead that lands in its history and is published as an event. */
public sealed interface LeadChange {

    Cause cause();

    String actor();

    String reason();

    /** @param secondsInStage how long the lead was in {@code from} */
    record StageChanged(String from, String to, Cause cause, String actor, String reason, long secondsInStage)
            implements
                LeadChange {
        public StageChanged(String from, String to, Cause cause, String actor, String reason) {
            this(from, to, cause, actor, reason, 0);
        }
    }

    /**
     * The lead left {@code fromStage} of flow {@code fromFlow} for {@code toStage} of flow {@code toFlow}: an accepted
     * lead switching to the sales flow, or a lead sent back from the sales flow to the flow it came from.
     *
     * @param secondsInStage how long the lead was in {@code fromStage}
     */
    record FlowSwitched(String fromFlow, String fromStage, String toFlow, String toStage, Cause cause, String actor,
            String reason, long secondsInStage) implements LeadChange {
    }

    /** @param stage the stage the lead was in when it became sales-ready */
    record BecameSalesReady(String by, String stage, Cause cause, String actor, String reason) implements LeadChange {
    }

    /** The sales-ready flag was cleared (score fell back, recycled, rejected). */
    record SalesReadyCleared(String stage, Cause cause, String actor, String reason) implements LeadChange {
    }

    /** A disqualified or lost lead was opened again and moved to {@code to}. */
    record Reopened(String previousStatus, String from, String to, long secondsInStage, Cause cause, String actor,
            String reason) implements LeadChange {
    }

    /** The CRM accepted the lead. */
    record Accepted(String crmLeadId, String owner, String stage, Cause cause, String actor, String reason)
            implements
                LeadChange {
    }

    /** The CRM rejected the lead (it goes back to nurturing by a separate stage change). */
    record Rejected(String stage, Cause cause, String actor, String reason) implements LeadChange {
    }

    /** The CRM reported an opportunity. */
    record OpportunityReported(String opportunityId, BigDecimal estimatedRevenue, LocalDate estimatedClose,
            String stage, Cause cause, String actor, String reason) implements LeadChange {
    }

    /** The lead was closed: WON or LOST (by the CRM) or DISQUALIFIED. */
    record Closed(String outcome, String stage, BigDecimal revenue, Cause cause, String actor, String reason)
            implements
                LeadChange {
    }

    /** Attributes changed (qualification, topic, owner). */
    record Updated(List<String> fields, String stage, Cause cause, String actor, String reason) implements LeadChange {
    }
}
