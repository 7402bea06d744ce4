package io.leadsuite.contact.rest;

import java.net.URI;
import java.util.List;
import java.util.UUID;

import jakarta.annotation.security.RolesAllowed;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import io.leadsuite.contact.service.ContactService;
import io.leadsuite.contracts.Roles;
import io.leadsuite.kit.idempotency.IdempotentRequests;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;

@Path("/contacts")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
@Tag(name = "Contacts")
@SecurityRequirement(name = "jwt")
public class ContactResource {

    private final ContactService contacts;
    private final IdempotentRequests idempotency;

    public ContactResource(ContactService contacts, IdempotentRequests idempotency) {
        this.contacts = contacts;
        this.idempotency = idempotency;
    }

    /** A page of contacts; {@code next} is null when there are no more. */
    public record Page(List<ContactView> items, String next) {
    }

    /** Result of match-or-create. */
    public record MatchView(ContactView contact, boolean created) {
    }

    @POST
    @RolesAllowed({ Roles.MARKETING, Roles.TELESALES, Roles.SALES, Roles.ADMIN })
    @Operation(summary = "Create a contact")
    @APIResponse(responseCode = "201", description = "Created; Location names the contact")
    @APIResponse(responseCode = "409", description = "The e-mail is taken; existingId names that contact")
    @APIResponse(responseCode = "422", description = "Invalid fields, or an Idempotency-Key used for another request")
    public Uni<Response> create(@NotNull @Valid ContactRequest request,
            @Parameter(description = "Repeat the request with the same key and body within 24 hours and get the "
                    + "first answer again") @HeaderParam(IdempotentRequests.HEADER) String key) {
        IdempotentRequests.Request keyed = idempotency.request("contacts.create", key, request);
        // the contact and the remembered answer commit together
        return idempotency.answer(keyed, () -> Panache.withTransaction(() -> contacts.create(request.toDetails())
                .map(c -> new IdempotentRequests.Answer(201, ContactView.of(c), URI.create("/contacts/" + c.id)))
                .call(answer -> idempotency.remember(keyed, answer))));
    }

    @POST
    @Path("/match")
    @RolesAllowed({ Roles.MARKETING, Roles.ADMIN })
    @Operation(summary = "Find the contact by normalised e-mail, or create it", description = "Atomic: concurrent calls with one e-mail make one contact. Used for captures.")
    @APIResponse(responseCode = "200", description = "An existing contact matched")
    @APIResponse(responseCode = "201", description = "A new contact was created")
    public Uni<Response> match(@NotNull @Valid ContactRequest request) {
        return contacts.matchOrCreate(request.toDetails())
                .map(m -> Response.status(m.created() ? 201 : 200)
                        .entity(new MatchView(ContactView.of(m.contact()), m.created())).build());
    }

    @GET
    @Path("/{id}")
    @RolesAllowed({ Roles.MARKETING, Roles.TELESALES, Roles.SALES, Roles.ADMIN, Roles.CRM })
    @Operation(summary = "Read a contact")
    @APIResponse(responseCode = "404", description = "No such contact")
    public Uni<ContactView> get(@PathParam("id") UUID id) {
        return contacts.get(id).map(ContactView::of);
    }

    @GET
    @RolesAllowed({ Roles.MARKETING, Roles.TELESALES, Roles.SALES, Roles.ADMIN, Roles.CRM })
    @Operation(summary = "Look a contact up by e-mail (full search comes with the contact-service issue)")
    public Uni<Page> findByEmail(@QueryParam("email") @NotNull String email) {
        return contacts.findByEmail(email)
                .map(c -> new Page(c == null ? List.of() : List.of(ContactView.of(c)), null));
    }
}
