package io.leadsuite.lead.rest;

import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.UUID;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

import io.leadsuite.lead.domain.Lead;
import io.leadsuite.lead.domain.LeadScore;
import io.leadsuite.lead.domain.LeadSource;
import io.leadsuite.lead.domain.LeadStatus;

/** The lead as the API shows it (CONTRACT.md, "Leads"); {@code version} is also its ETag. */
public record LeadView(UUID id, UUID contactId, String topic, @Schema(implementation = LeadSource.class) String source,
        String sourceRef,
        @Schema(description = "the id of the campaign the lead came from (`GET /campaigns/{id}`)", nullable = true) UUID campaign,
        String flow, int flowVersion, String stage, @Schema(implementation = LeadStatus.class) String status,
        boolean salesReady, @Schema(enumeration = {
                "SCORE", "MANUAL" }, nullable = true) String salesReadyBy,
        Instant salesReadyAt,
        List<LeadScore> scores, String team, String owner,
        @Schema(description = "who accepted the lead (sales acceptance): a sales user or the CRM's client; null until accepted", nullable = true) String acceptedBy,
        Qualification qualification, Crm crm,
        Instant stageEnteredAt, Instant createdAt, Instant updatedAt, long version){

    /** Recorded by telesales or sales ({@code PATCH /leads/{id}}); transition guards read it. */
    public record Qualification(BigDecimal budget, String currency,
            @Schema(enumeration = {
                    "IMMEDIATE", "THIS_QUARTER", "NEXT_QUARTER", "THIS_YEAR", "NEXT_YEAR",
                    "LATER" }, nullable = true) String timeframe,
            String need,
            Boolean decisionMaker){
    }

    /** What the CRM reported: its lead id once accepted, the opportunity, the outcome. */
    public record Crm(String leadId, String opportunityId, BigDecimal estimatedRevenue, LocalDate estimatedClose,
            BigDecimal revenue, String closeReason, String rejectionReason, Instant acceptedAt, Instant closedAt) {
    }

    public static LeadView of(Lead l) {
        return new LeadView(l.id, l.contactId, l.topic, l.source, l.sourceRef, l.campaignId, l.flowId, l.flowVersion, l.stage,
                l.status.name(), l.salesReady, l.salesReadyBy, l.salesReadyAt, l.scores, l.team, l.owner, l.acceptedBy,
                new Qualification(l.budget, l.currency, l.timeframe, l.need, l.decisionMaker),
                new Crm(l.crmLeadId, l.crmOpportunityId, l.estimatedRevenue, l.estimatedClose, l.revenue, l.closeReason,
                        l.crmRejectionReason, l.acceptedAt, l.closedAt),
                l.stageEnteredAt, l.createdAt,
                l.updatedAt, l.version);
    }
}
