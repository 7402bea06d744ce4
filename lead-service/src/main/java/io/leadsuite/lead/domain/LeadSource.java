package io.leadsuite.lead.domain;

/** Where a lead came from. */
public enum LeadSource {
    MARKETING_PAGE,
    MARKETING_FORM,
    CUSTOMER_JOURNEY,
    EMAIL,
    LINKEDIN,
    EVENT,
    IMPORT,
    MANUAL,
    CRM
}
