package io.leadsuite.lead.rest;

import java.util.List;

import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.validation.constraints.NotNull;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.ExampleObject;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.RequestBody;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.jboss.resteasy.reactive.server.Cancellable;

import io.leadsuite.contracts.Roles;
import io.leadsuite.lead.domain.Flow;
import io.leadsuite.lead.service.FlowCatalog;
import io.smallrye.mutiny.Uni;

@Path("/flows")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "Flows")
@RolesAllowed({ Roles.MARKETING, Roles.TELESALES, Roles.SALES, Roles.ADMIN, Roles.CRM })
@Cancellable(false)
public class FlowResource {

    static final String FLOW_EXAMPLE = """
            {"id": "inside-sales", "name": "Inside sales", "teleprospecting": true,
             "nurtureStage": "NURTURE", "returnToNurtureBelowThreshold": true,
             "stages": [
               {"id": "NEW", "name": "New", "team": "marketing"},
               {"id": "NURTURE", "name": "Nurture", "team": "marketing"},
               {"id": "CALL", "name": "Qualification call", "team": "telesales", "slaHours": 24},
               {"id": "HANDED_OVER", "name": "Handed to sales", "team": "sales", "slaHours": 48, "status": "ACCEPTED"}],
             "transitions": [
               {"from": "NEW", "to": "NURTURE", "teams": ["marketing"], "guards": []},
               {"from": "NURTURE", "to": "CALL", "teams": ["marketing", "telesales"], "guards": ["salesReady"]},
               {"from": "CALL", "to": "HANDED_OVER", "teams": ["telesales"],
                "guards": ["qualification.budget", "qualification.currency", "qualification.need"]}],
             "automation": [
               {"on": "SCORED", "from": ["NEW"], "to": "NURTURE"},
               {"on": "SALES_READY", "from": ["NEW", "NURTURE"], "to": "CALL"}]}""";
    static final String INVALID_EXAMPLE = """
            {"type": "https://leadsuite.io/problems/invalid-flow", "title": "The flow cannot work", "status": 422,
             "detail": "2 problem(s) in flow inside-sales: ...",
             "errors": [{"field": "stages[3]", "message": "stage HANDED_OVER cannot be reached from the first stage NEW"},
                        {"field": "transitions[1].teams", "message": "unknown team 'finance'; one of [marketing, sales, telesales]"}]}""";

    @Inject
    FlowCatalog flows;

    @GET
    @Operation(operationId = "listFlows", summary = "The newest version of every flow")
    @APIResponse(responseCode = "200", description = "The flows", content = @Content(schema = @Schema(type = SchemaType.ARRAY, implementation = Flow.class), examples = @ExampleObject(name = "flows", value = "["
            + FLOW_EXAMPLE + "]")))
    public Uni<List<Flow>> list() {
        return flows.latest();
    }

    @GET
    @Path("/{id}")
    @Operation(operationId = "getFlow", summary = "The newest version of a flow")
    @APIResponse(responseCode = "200", description = "The flow", content = @Content(schema = @Schema(implementation = Flow.class), examples = @ExampleObject(name = "flow", value = FLOW_EXAMPLE)))
    @APIResponse(responseCode = "404", description = "No such flow")
    public Uni<Flow> get(@PathParam("id") String id) {
        return flows.latest(id);
    }

    @GET
    @Path("/{id}/versions/{version}")
    @Operation(operationId = "getFlowVersion", summary = "One version of a flow", description = "The version a lead runs under is its `flowVersion`.")
    @APIResponse(responseCode = "200", description = "The flow version", content = @Content(schema = @Schema(implementation = Flow.class), examples = @ExampleObject(name = "flow", value = FLOW_EXAMPLE)))
    @APIResponse(responseCode = "404", description = "No such flow or version")
    public Uni<Flow> version(@PathParam("id") String id, @PathParam("version") int version) {
        return flows.version(id, version);
    }

    @PUT
    @Path("/{id}")
    @Consumes(MediaType.APPLICATION_JSON)
    @RolesAllowed(Roles.ADMIN)
    @Operation(operationId = "putFlow", summary = "Define a custom flow, or a new version of a flow (admin)", description = """
            Stored as the next version of the flow (1 for a new one); leads already in the flow keep \
            the version they started with, new leads take the newest. Refused with 422 when the flow cannot work: \
            `errors` names every problem (a stage that cannot be reached from the first stage, a stage from \
            which no final stage can be reached, duplicate stage ids or names, transitions to unknown stages, \
            unknown teams or guards). Teams: marketing, telesales, sales. Guards: salesReady, \
            qualification.budget, qualification.currency, qualification.timeframe, qualification.need, \
            qualification.decisionMaker, owner. A stage's optional `status` (ACCEPTED, CONVERTED, WON, LOST) is \
            given to a lead entering it, and the CRM's accept, opportunity and close move a lead to the stage of \
            the matching status. `version` in the body is ignored.""")
    @RequestBody(content = @Content(schema = @Schema(implementation = Flow.class), examples = @ExampleObject(name = "custom flow", value = FLOW_EXAMPLE)))
    @APIResponse(responseCode = "200", description = "The stored version", content = @Content(schema = @Schema(implementation = Flow.class), examples = @ExampleObject(name = "flow", value = FLOW_EXAMPLE)))
    @APIResponse(responseCode = "409", description = "Another version was stored at the same time; retry")
    @APIResponse(responseCode = "422", description = "The flow cannot work", content = @Content(mediaType = "application/problem+json", examples = @ExampleObject(name = "invalid", value = INVALID_EXAMPLE)))
    public Uni<Flow> put(@PathParam("id") String id, @NotNull Flow flow) {
        return flows.save(id, flow);
    }
}
