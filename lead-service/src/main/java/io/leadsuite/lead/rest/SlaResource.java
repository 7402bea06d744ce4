package io.leadsuite.lead.rest;

import java.time.Instant;
import java.util.UUID;

import jakarta.annotation.security.RolesAllowed;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.jboss.resteasy.reactive.server.Cancellable;

import io.leadsuite.contracts.Roles;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.quarkus.hibernate.reactive.panache.common.WithSession;
import io.smallrye.mutiny.Uni;

/** Leads overdue in their stage (stage SLAs). */
@Path("/sla/overdue")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "SLA")
@RolesAllowed({ Roles.MARKETING, Roles.TELESALES, Roles.SALES, Roles.ADMIN })
@Cancellable(false)
public class SlaResource {

    public record OverdueLead(UUID leadId, String stage, int slaHours, Instant enteredAt, Instant dueAt,
            Instant flaggedAt, String team, String owner) {
    }

    @GET
    @WithSession
    @Operation(operationId = "listOverdueLeads", summary = "Open leads overdue in their current stage, longest overdue first", description = "A lead is "
            + "overdue when it stayed in a stage longer than the stage's slaHours; lead.sla-breached was published "
            + "when it was flagged. Filter by team.")
    public Uni<Page<OverdueLead>> overdue(@QueryParam("team") String team,
            @QueryParam("limit") @DefaultValue("50") @Min(1) @Max(200) int limit) {
        return Panache.getSession().chain(session -> session.createNativeQuery("""
                select s.lead_id, s.stage, s.sla_hours, s.entered_at, s.due_at, s.breached_at, l.team, l.owner
                  from lead_stage_sla s join lead l on l.id = s.lead_id
                 where s.breached_at is not null and l.stage = s.stage and l.status in ('OPEN', 'ACCEPTED')
                   and (cast(?1 as text) is null or l.team = ?1)
                 order by s.due_at, s.lead_id""", Object[].class).setParameter(1, team).setMaxResults(limit)
                .getResultList())
                .map(rows -> new Page<>(rows.stream().map(r -> new OverdueLead((UUID) r[0], (String) r[1],
                        ((Number) r[2]).intValue(), instant(r[3]), instant(r[4]), instant(r[5]), (String) r[6],
                        (String) r[7])).toList(), null));
    }

    private static Instant instant(Object value) {
        if (value instanceof Instant i) {
            return i;
        }
        if (value instanceof java.time.OffsetDateTime o) {
            return o.toInstant();
        }
        if (value instanceof java.time.LocalDateTime l) {
            return l.toInstant(java.time.ZoneOffset.UTC);
        }
        return value == null ? null : Instant.parse(value.toString());
    }

}
