package io.leadsuite.contracts;

/** Message types and the addresses they travel on. Documented in {@code asyncapi.yaml}. */
public final class EventTypes {

    /** Multicast address of lead-service's events. */
    public static final String LEAD_EVENTS = "lead-events";
    /** Multicast address of contact-service's events. */
    public static final String CONTACT_EVENTS = "contact-events";
    /** Multicast address of scoring-service's events. */
    public static final String SCORE_UPDATES = "score-updates";
    /**
     * Anycast address on which e-mail and web-tracking systems send interactions to scoring-service; the body is one
     * interaction as {@code POST /interactions} takes it (not an envelope).
     */
    public static final String INTERACTIONS = "interactions";

    /** {@link LeadCreated}: a capture or API call created a lead. */
    public static final String LEAD_CREATED = "lead.created";
    /** {@link LeadCaptured}: a further submission touched an open lead. */
    public static final String LEAD_CAPTURED = "lead.captured";
    /** {@link LeadStageChanged}: a lead moved from one stage to another. */
    public static final String LEAD_STAGE_CHANGED = "lead.stage-changed";
    /** {@link LeadSalesReady}: a lead became sales-ready (by score or manually). */
    public static final String LEAD_SALES_READY = "lead.sales-ready";
    /** {@link LeadUpdated}: a lead's attributes (topic, owner, qualification, contact) changed. */
    public static final String LEAD_UPDATED = "lead.updated";
    /** {@link LeadAccepted}: the CRM accepted a sales-ready lead */
    public static final String LEAD_ACCEPTED = "lead.accepted";
    /** {@link LeadRejected}: the CRM rejected a lead; it went back to nurturing */
    public static final String LEAD_REJECTED = "lead.rejected";
    /** {@link LeadOpportunity}: the CRM reported an opportunity for an accepted lead */
    public static final String LEAD_OPPORTUNITY = "lead.opportunity";
    /** {@link LeadClosed}: a lead was closed won, lost or disqualified */
    public static final String LEAD_CLOSED = "lead.closed";
    /** {@link ContactCreated}: a contact was created. */
    public static final String CONTACT_CREATED = "contact.created";
    /** {@link ContactUpdated}: a contact's data or consent changed. */
    public static final String CONTACT_UPDATED = "contact.updated";
    /** {@link ContactMerged}: a duplicate contact was merged into a survivor. */
    public static final String CONTACT_MERGED = "contact.merged";
    /** {@link ContactErased}: a contact was erased (GDPR). */
    public static final String CONTACT_ERASED = "contact.erased";
    /**
     * {@link ConsentConfirmationRequested}: a public web form asked for marketing consent; the e-mail system sends
     * the person the confirmation link. Consent stays pending until the token comes back.
     */
    public static final String CONSENT_CONFIRMATION_REQUESTED = "consent.confirmation-requested";
    /** {@link ScoreChanged}: a lead's score, grade or sales-readiness changed. */
    public static final String SCORE_CHANGED = "score.changed";
    /** {@link LeadAssigned}: a routing rule assigned a lead to a team (and owner) as it entered a stage. */
    public static final String LEAD_ASSIGNED = "lead.assigned";
    /** {@link LeadNurture}: a nurture trigger fired for a lead (stage entered, grade reached, no activity). */
    public static final String LEAD_NURTURE = "lead.nurture";
    /** {@link LeadSlaBreached}: a lead stayed in a stage longer than the stage's SLA. */
    public static final String LEAD_SLA_BREACHED = "lead.sla-breached";

    private EventTypes() {
    }
}
