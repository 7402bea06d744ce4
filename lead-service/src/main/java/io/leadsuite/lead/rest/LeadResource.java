package io.leadsuite.lead.rest;

import java.util.List;
import java.util.UUID;

import jakarta.annotation.security.RolesAllowed;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import io.leadsuite.contracts.Roles;
import io.leadsuite.kit.problem.ProblemException;
import io.leadsuite.lead.domain.LeadHistoryEntry;
import io.leadsuite.lead.service.LeadService;
import io.smallrye.mutiny.Uni;

@Path("/leads")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "Leads")
@SecurityRequirement(name = "jwt")
@RolesAllowed({ Roles.MARKETING, Roles.TELESALES, Roles.SALES, Roles.ADMIN, Roles.CRM })
public class LeadResource {

    private final LeadService leads;

    public LeadResource(LeadService leads) {
        this.leads = leads;
    }

    /** One line of a lead's history (CONTRACT.md: at, from, to, cause, actor, reason). */
    public record HistoryEntryView(long id, java.time.Instant at, String kind, String from, String to, String cause,
            String actor, String reason) {
        static HistoryEntryView of(LeadHistoryEntry e) {
            return new HistoryEntryView(e.id, e.at, e.kind, e.fromStage, e.toStage, e.cause, e.actor, e.reason);
        }
    }

    @GET
    @Operation(summary = "List leads, optionally of one contact", description = "Pages by cursor: pass `next` as `after`.")
    public Uni<Page<LeadView>> list(@QueryParam("contactId") UUID contactId, @QueryParam("after") String after,
            @QueryParam("limit") @DefaultValue("50") @Min(1) @Max(200) int limit) {
        return leads.list(contactId, parseUuidCursor(after), limit + 1).map(found -> {
            List<LeadView> items = found.stream().limit(limit).map(LeadView::of).toList();
            return new Page<>(items, found.size() > limit ? items.get(items.size() - 1).id().toString() : null);
        });
    }

    @GET
    @Path("/{id}")
    @Operation(summary = "Read a lead")
    @APIResponse(responseCode = "404", description = "No such lead")
    public Uni<LeadView> get(@PathParam("id") UUID id) {
        return leads.get(id).map(LeadView::of);
    }

    @GET
    @Path("/{id}/history")
    @Operation(summary = "A lead's history, oldest first", description = "Creation, captures, stage changes and sales-readiness, each with when, cause, actor and "
            + "reason. Pages by cursor: pass `next` as `after`.")
    @APIResponse(responseCode = "404", description = "No such lead")
    public Uni<Page<HistoryEntryView>> history(@PathParam("id") UUID id, @QueryParam("after") String after,
            @QueryParam("limit") @DefaultValue("50") @Min(1) @Max(200) int limit) {
        long afterEntry = 0;
        if (after != null) {
            try {
                afterEntry = Long.parseLong(after);
            } catch (NumberFormatException e) {
                throw ProblemException.badRequest("'after' is not a cursor this list returned");
            }
        }
        return leads.history(id, afterEntry, limit + 1).map(found -> {
            List<HistoryEntryView> items = found.stream().limit(limit).map(HistoryEntryView::of).toList();
            return new Page<>(items, found.size() > limit ? String.valueOf(items.get(items.size() - 1).id()) : null);
        });
    }

    static UUID parseUuidCursor(String after) {
        if (after == null) {
            return null;
        }
        try {
            return UUID.fromString(after);
        } catch (IllegalArgumentException e) {
            throw ProblemException.badRequest("'after' is not a cursor this list returned");
        }
    }
}
