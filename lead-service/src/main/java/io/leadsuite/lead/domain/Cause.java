package io.leadsuite.lead.domain;

/** What caused a change in a lead's history. */
public enum Cause {
    SCORE,
    MANUAL,
    CRM,
    SYSTEM
}
