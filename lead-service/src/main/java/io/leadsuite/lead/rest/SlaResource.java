package io.leadsuite.lead.rest;

import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
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
import io.leadsuite.lead.repository.StageSlaRepository.OverdueLead;
import io.leadsuite.lead.service.sla.SlaService;
import io.smallrye.mutiny.Uni;

/** Leads overdue in their stage (stage SLAs). */
@Path("/sla/overdue")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "SLA")
@RolesAllowed({ Roles.MARKETING, Roles.TELESALES, Roles.SALES, Roles.ADMIN })
@Cancellable(false)
public class SlaResource {

    @Inject
    SlaService slas;

    @GET
    @Operation(operationId = "listOverdueLeads", summary = "Open leads overdue in their current stage, longest overdue first", description = """
            A lead is \
            overdue when it stayed in a stage longer than the stage's slaHours; lead.sla-breached was published \
            when it was flagged. Filter by team.""")
    public Uni<Page<OverdueLead>> overdue(@QueryParam("team") String team,
            @QueryParam("limit") @DefaultValue("50") @Min(1) @Max(200) int limit) {
        return slas.overdue(team, limit).map(overdue -> new Page<>(overdue, null));
    }
}
