package io.leadsuite.lead.rest;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

import io.leadsuite.lead.domain.Lead;
import io.leadsuite.lead.domain.LeadScore;

/** The lead as the API shows it (CONTRACT.md, "Leads"). */
public record LeadView(UUID id, UUID contactId, String topic, String source, String sourceRef, String flow,
        int flowVersion, String stage, String status, boolean salesReady, String salesReadyBy, Instant salesReadyAt,
        List<LeadScore> scores, String team, String owner, Qualification qualification, Crm crm,
        Instant stageEnteredAt, Instant createdAt, Instant updatedAt, long version) {

    /** Recorded by telesales (a later issue fills it in). */
    public record Qualification(Long budget, String currency, String timeframe, String need, Boolean decisionMaker) {
    }

    /** The CRM's ids once it accepted the lead (a later issue fills it in). */
    public record Crm(String leadId, String opportunityId) {
    }

    public static LeadView of(Lead l) {
        return new LeadView(l.id, l.contactId, l.topic, l.source, l.sourceRef, l.flowId, l.flowVersion, l.stage,
                l.status.name(), l.salesReady, l.salesReadyBy, l.salesReadyAt, l.scores, l.team, l.owner,
                new Qualification(null, null, null, null, null), new Crm(null, null), l.stageEnteredAt, l.createdAt,
                l.updatedAt, l.version);
    }
}
