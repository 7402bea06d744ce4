package io.leadsuite.lead.rest;

import java.math.BigDecimal;
import java.net.URI;
import java.time.LocalDate;
import java.util.List;
import java.util.UUID;

import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.validation.Valid;
import jakarta.validation.constraints.DecimalMin;
import jakarta.validation.constraints.Digits;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.ExampleObject;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.jboss.resteasy.reactive.server.Cancellable;

import io.leadsuite.contracts.Roles;
import io.leadsuite.lead.repository.CampaignRepository.Campaign;
import io.leadsuite.lead.repository.CampaignRepository.Results;
import io.leadsuite.lead.service.campaign.Campaigns;
import io.smallrye.mutiny.Uni;

/** Marketing campaigns and what they produced (CONTRACT.md, "Campaigns"). */
@Path("/campaigns")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "Campaigns")
@Cancellable(false)
public class CampaignResource {

    static final String CAMPAIGN_EXAMPLE = """
            {"id": "3b1c9f0e-5a2d-4c7e-9f10-2a6b8d4e7c01", "name": "Spring expo 2026", "channel": "EVENT",
             "startsOn": "2026-03-01", "endsOn": "2026-03-31", "cost": 12000.00,
             "createdAt": "2026-02-10T09:00:00Z", "updatedAt": "2026-02-10T09:00:00Z", "version": 0}""";

    @Inject
    Campaigns campaigns;

    @Schema(name = "CampaignRequest", example = """
            {"name": "Spring expo 2026", "channel": "EVENT", "startsOn": "2026-03-01", "endsOn": "2026-03-31",
             "cost": 12000.00}""")
    public record CampaignRequest(@NotBlank @Size(max = 200) String name,
            @Schema(description = "where it runs: e-mail, event, paid search, social, ... (free text)") @Size(max = 100) String channel,
            LocalDate startsOn,
            @Schema(description = "not before startsOn") LocalDate endsOn,
            @DecimalMin("0") @Digits(integer = 16, fraction = 2) BigDecimal cost) {

        Campaigns.Definition definition() {
            return new Campaigns.Definition(name, channel == null || channel.isBlank() ? null : channel.strip(),
                    startsOn, endsOn, cost);
        }
    }

    @Schema(name = "CampaignList")
    public record CampaignList(List<Campaign> items) {
    }

    /** A campaign with what it produced. */
    @Schema(name = "CampaignWithResults")
    public record CampaignWithResults(UUID id, String name, String channel, LocalDate startsOn, LocalDate endsOn,
            BigDecimal cost, java.time.Instant createdAt, java.time.Instant updatedAt, long version,
            Results results) {

        static CampaignWithResults of(Campaign c, Results results) {
            return new CampaignWithResults(c.id(), c.name(), c.channel(), c.startsOn(), c.endsOn(), c.cost(),
                    c.createdAt(), c.updatedAt(), c.version(), results);
        }
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @RolesAllowed({ Roles.MARKETING, Roles.ADMIN })
    @Operation(operationId = "createCampaign", summary = "Create a campaign", description = "Captures, lead-import rows and interactions then name it by id or by name (any case).")
    @APIResponse(responseCode = "201", description = "Created; Location names it, ETag is its version", content = @Content(schema = @Schema(implementation = Campaign.class), examples = @ExampleObject(name = "campaign", value = CAMPAIGN_EXAMPLE)))
    @APIResponse(responseCode = "409", description = "A campaign of that name (any case) exists; `existingId` names it")
    @APIResponse(responseCode = "422", description = "Invalid fields: no name, a negative cost, endsOn before startsOn")
    public Uni<Response> create(@NotNull @Valid CampaignRequest request) {
        return campaigns.create(request.definition())
                .map(c -> Response.created(URI.create("/campaigns/" + c.id())).entity(c)
                        .header(HttpHeaders.ETAG, etag(c)).build());
    }

    @GET
    @RolesAllowed({ Roles.MARKETING, Roles.SALES, Roles.ADMIN })
    @Operation(operationId = "listCampaigns", summary = "Every campaign, by name")
    @APIResponse(responseCode = "200", description = "The campaigns", content = @Content(schema = @Schema(implementation = CampaignList.class), examples = @ExampleObject(name = "campaigns", value = "{\"items\": ["
            + CAMPAIGN_EXAMPLE + "]}")))
    public Uni<CampaignList> list() {
        return campaigns.list().map(CampaignList::new);
    }

    @GET
    @Path("/{id}")
    @RolesAllowed({ Roles.MARKETING, Roles.SALES, Roles.ADMIN })
    @Operation(operationId = "getCampaign", summary = "A campaign with its members, leads and influenced revenue", description = """
            `results`: `members` (contacts with a lead the campaign touched), `leads` (leads it \
            touched: a capture, import row or interaction named it), `sourcedLeads` (leads that came from it), \
            `wonLeads`, `sourcedRevenue` (won revenue of the leads it sourced), `influencedRevenue` (won revenue \
            of every lead it touched) and `pipelineRevenue` (estimated revenue of touched leads open in sales). \
            The leads themselves: `GET /leads?campaign={id}` (the leads it sourced).""")
    @APIResponse(responseCode = "200", description = "The campaign; ETag is its version", content = @Content(schema = @Schema(implementation = CampaignWithResults.class), examples = @ExampleObject(name = "campaign", value = """
            {"id": "3b1c9f0e-5a2d-4c7e-9f10-2a6b8d4e7c01", "name": "Spring expo 2026", "channel": "EVENT",
             "startsOn": "2026-03-01", "endsOn": "2026-03-31", "cost": 12000.00,
             "createdAt": "2026-02-10T09:00:00Z", "updatedAt": "2026-02-10T09:00:00Z", "version": 0,
             "results": {"members": 40, "leads": 42, "sourcedLeads": 38, "wonLeads": 3, "sourcedRevenue": 45000.00,
                         "influencedRevenue": 52000.00, "pipelineRevenue": 30000.00}}""")))
    @APIResponse(responseCode = "404", description = "No such campaign")
    public Uni<Response> get(@PathParam("id") UUID id) {
        return campaigns.get(id).chain(c -> campaigns.results(id)
                .map(results -> Response.ok(CampaignWithResults.of(c, results)).header(HttpHeaders.ETAG, etag(c))
                        .build()));
    }

    @PUT
    @Path("/{id}")
    @Consumes(MediaType.APPLICATION_JSON)
    @RolesAllowed({ Roles.MARKETING, Roles.ADMIN })
    @Operation(operationId = "updateCampaign", summary = "Replace a campaign's name, channel, period and cost")
    @APIResponse(responseCode = "200", description = "The campaign; ETag is its new version", content = @Content(schema = @Schema(implementation = Campaign.class), examples = @ExampleObject(name = "campaign", value = CAMPAIGN_EXAMPLE)))
    @APIResponse(responseCode = "404", description = "No such campaign")
    @APIResponse(responseCode = "409", description = "Another campaign has that name (any case)")
    @APIResponse(responseCode = "422", description = "Invalid fields")
    public Uni<Response> update(@PathParam("id") UUID id,
            @Parameter(description = "The campaign's `ETag` (or `version`) as last read; a stale one gives 412") @HeaderParam(HttpHeaders.IF_MATCH) String ifMatch,
            @NotNull @Valid CampaignRequest request) {
        return campaigns.update(id, LeadResource.ifMatch(ifMatch), request.definition())
                .map(c -> Response.ok(c).header(HttpHeaders.ETAG, etag(c)).build());
    }

    private static String etag(Campaign campaign) {
        return "\"" + campaign.version() + "\"";
    }
}
