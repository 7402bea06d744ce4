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
}
