package io.leadsuite.lead.rest;

import java.util.List;

import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import io.leadsuite.contracts.Roles;
import io.leadsuite.lead.domain.Flow;
import io.leadsuite.lead.service.FlowCatalog;
import io.smallrye.mutiny.Uni;

@Path("/flows")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "Flows")
@SecurityRequirement(name = "jwt")
@RolesAllowed({ Roles.MARKETING, Roles.TELESALES, Roles.SALES, Roles.ADMIN, Roles.CRM })
public class FlowResource {

    private final FlowCatalog flows;

    public FlowResource(FlowCatalog flows) {
        this.flows = flows;
    }

    @GET
    @Operation(summary = "The newest version of every flow")
    public Uni<List<Flow>> list() {
        return flows.latest();
    }

    @GET
    @Path("/{id}")
    @Operation(summary = "The newest version of a flow")
    public Uni<Flow> get(@PathParam("id") String id) {
        return flows.latest(id);
    }
}
