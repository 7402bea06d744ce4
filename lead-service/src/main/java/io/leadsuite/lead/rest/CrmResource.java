package io.leadsuite.lead.rest;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
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
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import io.leadsuite.contracts.Roles;
import io.leadsuite.kit.problem.ProblemException;
import io.leadsuite.lead.client.ContactDirectory;
import io.leadsuite.lead.client.ContactServiceClient.ContactSnapshot;
import io.leadsuite.lead.domain.Lead;
import io.leadsuite.lead.service.LeadService;
import io.smallrye.mutiny.Uni;

/** What a CRM calls (role {@code crm}): the feed of sales-ready leads. */
@Path("/crm")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "CRM")
@SecurityRequirement(name = "jwt")
@RolesAllowed({ Roles.CRM, Roles.ADMIN })
public class CrmResource {

    private final LeadService leads;
    private final ContactDirectory contacts;

    public CrmResource(LeadService leads, ContactDirectory contacts) {
        this.leads = leads;
        this.contacts = contacts;
    }

    /** A sales-ready lead with its contact's details (null when the contact no longer exists). */
    public record SalesReadyLead(LeadView lead, ContactSnapshot contact) {
    }

    @GET
    @Path("/leads/sales-ready")
    @Operation(summary = "Sales-ready leads not yet accepted, oldest first, each with its contact's details", description = "Pages by cursor: pass `next` as `after`. A lead stays in the feed until the CRM accepts "
            + "or rejects it.")
    @APIResponse(responseCode = "503", description = "contact-service is unavailable; retry later")
    public Uni<Page<SalesReadyLead>> salesReady(@QueryParam("after") String after,
            @QueryParam("limit") @DefaultValue("50") @Min(1) @Max(200) int limit) {
        Cursor cursor = Cursor.parse(after);
        return leads.salesReadyFeed(cursor == null ? null : cursor.at(), cursor == null ? null : cursor.id(),
                limit + 1)
                .chain(found -> {
                    List<Lead> page = found.stream().limit(limit).toList();
                    String next = found.size() > limit ? Cursor.of(page.get(page.size() - 1)) : null;
                    if (page.isEmpty()) {
                        return Uni.createFrom().item(new Page<SalesReadyLead>(List.of(), null));
                    }
                    List<Uni<SalesReadyLead>> withContacts = page.stream()
                            .map(lead -> contacts.get(lead.contactId)
                                    // a contact that no longer exists leaves the lead in the feed without details
                                    .onFailure(CrmResource::isNotFound).recoverWithNull()
                                    .onFailure().transform(ContactDirectory::unavailable)
                                    .map(contact -> new SalesReadyLead(LeadView.of(lead), contact)))
                            .toList();
                    return Uni.join().all(withContacts).andFailFast().map(items -> new Page<>(items, next));
                });
    }

    private static boolean isNotFound(Throwable failure) {
        return failure instanceof ProblemException problem && problem.status() == 404;
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
