package io.leadsuite.lead.domain;

import java.time.Instant;
import java.util.UUID;

import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

import io.quarkus.hibernate.reactive.panache.PanacheEntityBase;

/** One line of a lead's history: created, captured again, a stage change, sales-ready, a CRM step, an update. */
@Entity
@Table(name = "lead_history")
public class LeadHistoryEntry extends PanacheEntityBase {

    @Schema(name = "LeadHistoryKind")
    public enum Kind {
        CREATED,
        CAPTURED,
        STAGE_CHANGED,
        SALES_READY,
        SALES_READY_CLEARED,
        REOPENED,
        ACCEPTED,
        REJECTED,
        OPPORTUNITY,
        CLOSED,
        UPDATED,
        ASSIGNED,
        SLA_BREACHED,
        /** The lead moved to another flow (accepted: to the sales flow; sent back: to the flow it came from). */
        FLOW_SWITCHED
    }

    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    public Long id;
    public UUID leadId;
    public Instant at;
    public String kind;
    /** The flow of {@code toStage}. */
    public String flowId;
    /** For a flow switch: the flow of {@code fromStage}. */
    public String fromFlowId;
    public String fromStage;
    public String toStage;
    public String cause;
    public String actor;
    public String reason;
    /** For a stage change: how long the lead was in the stage it left. */
    public Long secondsInStage;

    /** An entry of the lead in its current flow. */
    public static LeadHistoryEntry of(Lead lead, Instant at, Kind kind, String from, String to, Cause cause,
            String actor, String reason) {
        LeadHistoryEntry entry = new LeadHistoryEntry();
        entry.leadId = lead.id;
        entry.flowId = lead.flowId;
        entry.at = at;
        entry.kind = kind.name();
        entry.fromStage = from;
        entry.toStage = to;
        entry.cause = cause.name();
        entry.actor = actor;
        entry.reason = reason;
        return entry;
    }
}
