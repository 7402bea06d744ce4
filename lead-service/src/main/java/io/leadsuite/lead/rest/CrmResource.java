package io.leadsuite.lead.rest;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.UUID;

import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.SecurityContext;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.ExampleObject;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.jboss.resteasy.reactive.RestResponse;
import org.jboss.resteasy.reactive.server.Cancellable;

import io.leadsuite.contracts.Roles;
import io.leadsuite.kit.domain.Erased;
import io.leadsuite.kit.domain.NotFound;
import io.leadsuite.kit.problem.ProblemException;
import io.leadsuite.lead.client.ContactDirectory;
import io.leadsuite.lead.client.ContactServiceClient.ContactSnapshot;
import io.leadsuite.lead.domain.Lead;
import io.leadsuite.lead.domain.LeadStatus;
import io.leadsuite.lead.service.LeadService;
import io.smallrye.mutiny.Uni;

/**
 * What a CRM calls (role {@code crm}): the feed of sales-ready leads, then accept, reject, opportunity and close. Every
 * change is idempotent: a retried call returns the lead and changes nothing twice.
 */
@Path("/crm")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "CRM")
@RolesAllowed({ Roles.CRM, Roles.ADMIN })
@Cancellable(false)
public class CrmResource {

    @Inject
    LeadService leads;
    @Inject
    ContactDirectory contacts;

    /** A sales-ready lead with its contact's details (null when the contact no longer exists). */
    public record SalesReadyLead(LeadView lead, ContactSnapshot contact) {
    }

    /** A page of the feed; {@code next} is the cursor of the following page, or null at the end. */
    public record SalesReadyPage(List<SalesReadyLead> items, String next) {
    }

    @GET
    @Path("/leads/sales-ready")
    @Operation(operationId = "getSalesReadyFeed", summary = "Sales-ready leads not yet accepted, oldest first, each with its contact's details", description = """
            Pages by cursor: pass `next` as `after`. A lead stays in the feed until the CRM accepts \
            or rejects it.""")
    @APIResponse(responseCode = "200", description = "A page of the feed", content = @Content(schema = @Schema(implementation = SalesReadyPage.class), examples = @ExampleObject(name = "feed", value = "{\"items\": [{\"lead\": "
            + LeadResource.LEAD_EXAMPLE
            + ", \"contact\": {\"id\": \"0b6d2a8e-3c1f-4d7a-9a55-2f1de3b7c901\", \"email\": \"ana@example.com\", "
            + "\"firstName\": \"Ana\", \"lastName\": \"Silva\", \"company\": \"Acme\", \"country\": \"PT\"}}], "
            + "\"next\": \"MjAyNi0xMS0yM1QwOToxMjowMFp8NWYwYzdjMWU\"}")))
    @APIResponse(responseCode = "503", description = "contact-service is unavailable; retry later")
    public Uni<SalesReadyPage> salesReady(@QueryParam("after") String after,
            @QueryParam("limit") @DefaultValue("50") @Min(1) @Max(200) int limit) {
        Cursor cursor = Cursor.parse(after);
        return leads.salesReadyFeed(cursor == null ? null : cursor.at(), cursor == null ? null : cursor.id(),
                limit + 1)
                .chain(found -> {
                    List<Lead> page = found.stream().limit(limit).toList();
                    String next = found.size() > limit ? Cursor.of(page.get(page.size() - 1)) : null;
                    if (page.isEmpty()) {
                        return Uni.createFrom().item(new SalesReadyPage(List.of(), null));
                    }
                    List<Uni<SalesReadyLead>> withContacts = page.stream()
                            .map(lead -> contacts.get(lead.contactId)
                                    // a contact that no longer exists or was erased leaves the lead in the feed
                                    // without details; the rest of the page is unaffected
                                    .onFailure(CrmResource::isGone).recoverWithNull()
                                    .onFailure().transform(ContactDirectory::unavailable)
                                    .map(contact -> new SalesReadyLead(LeadView.of(lead), contact)))
                            .toList();
                    return Uni.join().all(withContacts).andFailFast().map(items -> new SalesReadyPage(items, next));
                });
    }

    @POST
    @Path("/leads/{id}/accept")
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(operationId = "crmAcceptLead", summary = "Accept a sales-ready lead (sales acceptance)", description = """
            Status ACCEPTED, with the CRM's lead id and owner; the lead leaves the feed, enters its \
            flow's sales-acceptance stage (SALES_ACCEPTANCE in marketing-lead) and, when the flow names a sales \
            flow, switches to it (`sales-lead`: QUALIFY, DEVELOP, PROPOSE, CLOSE), keeping its history. A sales \
            user does the same with POST /leads/{id}/accept. Idempotent: the same crmLeadId again returns the lead \
            and changes nothing; another crmLeadId is a 409. Publishes lead.accepted and lead.stage-changed.""")
    @APIResponse(responseCode = "409", description = "Not a sales-ready open lead, or accepted already under another crmLeadId")
    @APIResponse(responseCode = "422", description = "crmLeadId missing")
    public Uni<RestResponse<LeadView>> accept(@PathParam("id") UUID id, @NotNull @Valid LeadRequests.AcceptRequest request,
            SecurityContext security) {
        return leads.crmAccept(id, request.crmLeadId(), request.owner(), LeadResource.actor(security))
                .map(LeadResource::withEtag);
    }

    @POST
    @Path("/leads/{id}/reject")
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(operationId = "crmRejectLead", summary = "Reject a lead: back to nurturing, with a reason", description = """
            No longer sales-ready, open, in the flow's nurture stage; leaves the feed until it becomes \
            sales-ready again. Idempotent: the same reason again changes nothing; another reason is a 409. \
            Publishes lead.rejected.""")
    @APIResponse(responseCode = "409", description = "Not a sales-ready or accepted lead, or rejected already for another reason")
    @APIResponse(responseCode = "422", description = "reason missing")
    public Uni<RestResponse<LeadView>> reject(@PathParam("id") UUID id,
            @NotNull @Valid LeadRequests.RequiredReasonRequest request, SecurityContext security) {
        return leads.crmReject(id, request.reason(), LeadResource.actor(security)).map(LeadResource::withEtag);
    }

    @POST
    @Path("/leads/{id}/opportunity")
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(operationId = "crmReportOpportunity", summary = "Report the opportunity of an accepted lead", description = """
            Status CONVERTED; in a flow with a CONVERTED stage further on (sales-lead: DEVELOP) the lead \
            moves there. Idempotent: the \
            same report again changes nothing; another opportunity id, or the same id with other figures, is a \
            409. Publishes lead.opportunity.""")
    @APIResponse(responseCode = "409", description = "Not accepted yet, or a conflicting opportunity")
    @APIResponse(responseCode = "422", description = "opportunityId missing, negative revenue")
    public Uni<RestResponse<LeadView>> opportunity(@PathParam("id") UUID id,
            @NotNull @Valid LeadRequests.OpportunityRequest request, SecurityContext security) {
        return leads.crmOpportunity(id, request.opportunityId(), request.estimatedRevenue(), request.estimatedClose(),
                LeadResource.actor(security)).map(LeadResource::withEtag);
    }

    @POST
    @Path("/leads/{id}/close")
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(operationId = "crmCloseLead", summary = "Close an accepted or converted lead, won or lost", description = """
            Status WON or LOST with the revenue; in a flow with such stages, or a close stage \
            (sales-lead: CLOSE), the lead moves there. \
            Idempotent: the same close again changes nothing; a different outcome, revenue or reason is a 409. \
            Publishes lead.closed.""")
    @APIResponse(responseCode = "409", description = "Not accepted, or closed already otherwise")
    @APIResponse(responseCode = "422", description = "outcome missing, negative revenue")
    public Uni<RestResponse<LeadView>> close(@PathParam("id") UUID id, @NotNull @Valid LeadRequests.CloseRequest request,
            SecurityContext security) {
        return leads.crmClose(id, LeadStatus.valueOf(request.outcome().name()), request.revenue(), request.reason(),
                LeadResource.actor(security)).map(LeadResource::withEtag);
    }

    /** The contact no longer exists (404) or was erased (410): its lead stays in the feed without details. */
    private static boolean isGone(Throwable failure) {
        return failure instanceof NotFound || failure instanceof Erased;
    }

    /** Opaque cursor of the feed: when the last lead became sales-ready, and its id. */
    record Cursor(Instant at, UUID id) {
        static String of(Lead lead) {
            String raw = lead.salesReadyAt.toString() + "|" + lead.id;
            return Base64.getUrlEncoder().withoutPadding().encodeToString(raw.getBytes(StandardCharsets.UTF_8));
        }

        static Cursor parse(String cursor) {
            if (cursor == null) {
                return null;
            }
            try {
                String[] parts = new String(Base64.getUrlDecoder().decode(cursor), StandardCharsets.UTF_8).split("\\|");
                return new Cursor(Instant.parse(parts[0]), UUID.fromString(parts[1]));
            } catch (RuntimeException e) {
                throw ProblemException.badRequest("'after' is not a cursor this feed returned");
            }
        }
    }
}
