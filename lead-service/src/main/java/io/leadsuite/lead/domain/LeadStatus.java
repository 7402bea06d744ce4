package io.leadsuite.lead.domain;

public enum LeadStatus {
    OPEN,
    ACCEPTED,
    CONVERTED,
    WON,
    LOST,
    DISQUALIFIED;

    /** Open leads are scored, move through stages and receive further captures. */
    public boolean isOpen() {
        return this == OPEN || this == ACCEPTED;
    }

    /** Final statuses: the lead no longer moves until it is reopened (disqualified or lost). */
    public boolean isFinal() {
        return this == WON || this == LOST || this == DISQUALIFIED;
    }
}
