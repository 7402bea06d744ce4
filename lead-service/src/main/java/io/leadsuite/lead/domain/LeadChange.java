package io.leadsuite.lead.domain;

/** A change to a lead that lands in its history and is published as an event. */
public sealed interface LeadChange {

    Cause cause();

    String actor();

    String reason();

    record StageChanged(String from, String to, Cause cause, String actor, String reason) implements LeadChange {
    }

    /** @param stage the stage the lead was in when it became sales-ready */
    record BecameSalesReady(String by, String stage, Cause cause, String actor, String reason) implements LeadChange {
    }
}
