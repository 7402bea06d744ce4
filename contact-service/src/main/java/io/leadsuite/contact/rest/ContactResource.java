package io.leadsuite.contact.rest;

import java.net.URI;
import java.util.List;
import java.util.UUID;

import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.PATCH;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.SecurityContext;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.headers.Header;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.ExampleObject;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.parameters.RequestBody;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.jboss.resteasy.reactive.server.Cancellable;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.leadsuite.contact.domain.Contact;
import io.leadsuite.contact.service.ConsentConfirmations;
import io.leadsuite.contact.service.ContactService;
import io.leadsuite.contact.service.ErasureService;
import io.leadsuite.contact.service.MergeService;
import io.leadsuite.contracts.Roles;
import io.leadsuite.kit.idempotency.IdempotentRequests;
import io.leadsuite.kit.problem.Problem;
import io.leadsuite.kit.problem.ProblemException;
import io.smallrye.mutiny.Uni;

@Path("/contacts")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
@Tag(name = "Contacts")
@Cancellable(false)
public class ContactResource {

    static final String MERGE_PATCH = "application/merge-patch+json";
    static final String PROBLEM_404 = """
            {"type": "https://leadsuite.io/problems/not-found", "title": "Contact not found", "status": 404,
             "detail": "Contact 5b7e1c9a-3f0e-4a43-9a4e-0d6c1f1f2a11 does not exist"}""";
    static final String PROBLEM_410 = """
            {"type": "https://leadsuite.io/problems/erased", "title": "Contact erased", "status": 410,
             "detail": "Contact 5b7e1c9a-3f0e-4a43-9a4e-0d6c1f1f2a11 was erased on request; no personal data is kept",
             "erasedAt": "2026-11-22T12:00:00Z"}""";
    static final String PROBLEM_422 = """
            {"type": "https://leadsuite.io/problems/unprocessable", "title": "The request cannot be processed",
             "status": 422, "detail": "One or more fields are invalid",
             "errors": [{"field": "phone", "message": "must be a valid phone number"}]}""";

    @Inject
    ContactService contacts;
    @Inject
    MergeService merges;
    @Inject
    ErasureService erasures;
    @Inject
    IdempotentRequests idempotency;
    @Inject
    ObjectMapper mapper;
    @Inject
    ConsentConfirmations confirmations;

    /** A page of contacts; {@code next} is null when there are no more. */
    @Schema(name = "ContactPage")
    public record Page(List<ContactView> items, String next) {
    }

    /** Result of match-or-create. */
    @Schema(name = "ContactMatch")
    public record MatchView(ContactView contact, boolean created) {
    }

    /** Body of a merge. */
    @Schema(name = "MergeRequest", example = "{\"duplicateId\": \"0e0c4d1e-8f5a-4a8e-b4b7-2b0f7c9c1d22\"}")
    public record MergeRequest(@NotNull UUID duplicateId) {
    }

    /** The members of a merge patch of a contact (RFC 7396: a member left out stays, null clears it). */
    @Schema(name = "ContactPatch", description = "Every member optional; null clears a field (not email)")
    public record PatchDoc(String email, String firstName, String lastName, String phone, String company,
            String jobTitle, String industry, String country, ConsentPatch consent) {
    }

    @Schema(name = "ConsentPatch", description = "Gives (true) or withdraws (false) marketing consent")
    public record ConsentPatch(@Schema(required = true) Boolean marketing, String source, java.time.Instant at) {
    }

    @Schema(name = "ConsentChange")
    public record ConsentChangeView(boolean marketing, java.time.Instant at, String source) {
    }

    @POST
    @RolesAllowed({ Roles.MARKETING, Roles.TELESALES, Roles.SALES, Roles.ADMIN })
    @Operation(operationId = "createContact", summary = "Create a contact", description = "E-mail, phone and country are normalised (see ContactRequest).")
    @APIResponse(responseCode = "201", description = "Created; Location names the contact", content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = ContactView.class), examples = @ExampleObject(name = "created", value = ContactView.EXAMPLE)))
    @APIResponse(responseCode = "409", description = "The e-mail is taken; existingId names that contact", content = @Content(mediaType = Problem.MEDIA_TYPE, examples = @ExampleObject(name = "taken", value = """
            {"type": "https://leadsuite.io/problems/conflict", "title": "Conflict", "status": 409,
             "detail": "A contact with this e-mail already exists: 5b7e1c9a-3f0e-4a43-9a4e-0d6c1f1f2a11",
             "existingId": "5b7e1c9a-3f0e-4a43-9a4e-0d6c1f1f2a11"}""")))
    @APIResponse(responseCode = "422", description = "Invalid fields, or an Idempotency-Key used for another request", content = @Content(mediaType = Problem.MEDIA_TYPE, examples = @ExampleObject(name = "invalid", value = PROBLEM_422)))
    public Uni<Response> create(@NotNull @Valid ContactRequest request,
            @Parameter(description = """
                    Repeat the request with the same key and body within 24 hours and get the \
                    first answer again (a key belongs to the caller that sent it)""") @HeaderParam(IdempotentRequests.HEADER) String key,
            SecurityContext security) {
        IdempotentRequests.Request keyed = idempotency.request("contacts.create", security.getUserPrincipal().getName(),
                key, request);
        // the contact and the remembered answer commit together, in the one transaction the kit opens for the request
        return idempotency.answerInTransaction(keyed, () -> contacts.create(request.toDetails())
                .map(c -> new IdempotentRequests.Answer(201, ContactView.of(c), URI.create("/contacts/" + c.id))));
    }

    @POST
    @Path("/match")
    @RolesAllowed({ Roles.MARKETING, Roles.ADMIN, Roles.FORM })
    @Operation(operationId = "matchContact", summary = "Find the contact by normalised e-mail, or create it", description = """
            Atomic: concurrent calls with one e-mail make one contact. Used for captures. \
            An e-mail of a merged duplicate finds the survivor; an existing contact is not changed. For a \
            capture from a public web form (role form: lead-service passes the gateway's form token on), \
            consent is not taken as given: it is pending (consent.pending true, marketing false) and a \
            consent.confirmation-requested event asks the person to confirm (POST /consent/confirm).""")
    @APIResponse(responseCode = "200", description = "An existing contact matched", content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = MatchView.class), examples = @ExampleObject(name = "matched", value = "{\"contact\": "
            + ContactView.EXAMPLE + ", \"created\": false}")))
    @APIResponse(responseCode = "201", description = "A new contact was created", content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = MatchView.class), examples = @ExampleObject(name = "created", value = "{\"contact\": "
            + ContactView.EXAMPLE + ", \"created\": true}")))
    @APIResponse(responseCode = "422", description = "Invalid fields", content = @Content(mediaType = Problem.MEDIA_TYPE, examples = @ExampleObject(name = "invalid", value = PROBLEM_422)))
    @APIResponse(responseCode = "503", description = """
            Busy: so many matches wait to be committed on this replica that this one was not taken; nothing was \
            stored. Send it again after Retry-After (a repeat finds or creates the same contact).""")
    public Uni<Response> match(@NotNull @Valid ContactRequest request, SecurityContext security) {
        Uni<ContactService.Match> match = security.isUserInRole(Roles.FORM)
                ? confirmations.matchFromPublicForm(request.toDetails())
                : contacts.matchOrCreate(request.toDetails());
        return match
                .map(m -> Response.status(m.created() ? 201 : 200)
                        .entity(new MatchView(ContactView.of(m.contact()), m.created())).build());
    }

    @GET
    @Path("/{id}")
    @RolesAllowed({ Roles.MARKETING, Roles.TELESALES, Roles.SALES, Roles.ADMIN, Roles.CRM })
    @Operation(operationId = "getContact", summary = "Read a contact", description = """
            The ETag header carries the version, for If-Match on PATCH. \
            A duplicate that was merged answers 200 with status MERGED and mergedInto naming the survivor \
            (and a Link header rel="canonical" to it); its personal data now lives on the survivor.""")
    @APIResponse(responseCode = "200", description = "The contact, or the pointer of a merged duplicate", headers = @Header(name = HttpHeaders.ETAG, description = "The version, quoted: \"2\""), content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = ContactView.class), examples = {
            @ExampleObject(name = "contact", value = ContactView.EXAMPLE),
            @ExampleObject(name = "merged duplicate", value = ContactView.MERGED_EXAMPLE) }))
    @APIResponse(responseCode = "404", description = "No such contact", content = @Content(mediaType = Problem.MEDIA_TYPE, examples = @ExampleObject(name = "not found", value = PROBLEM_404)))
    @APIResponse(responseCode = "410", description = "The contact was erased (GDPR)", content = @Content(mediaType = Problem.MEDIA_TYPE, examples = @ExampleObject(name = "erased", value = PROBLEM_410)))
    public Uni<Response> get(@PathParam("id") UUID id) {
        return contacts.get(id).map(c -> {
            if (c.status == Contact.Status.ERASED) {
                throw ContactService.gone(c);
            }
            Response.ResponseBuilder ok = Response.ok(ContactView.of(c)).header(HttpHeaders.ETAG, etag(c));
            if (c.status == Contact.Status.MERGED) {
                ok.header("Link", "</contacts/" + c.mergedInto + ">; rel=\"canonical\"");
            }
            return ok.build();
        });
    }

    @GET
    @RolesAllowed({ Roles.MARKETING, Roles.TELESALES, Roles.SALES, Roles.ADMIN, Roles.CRM })
    @Operation(operationId = "searchContacts", summary = "Search contacts", description = """
            Active contacts, oldest first (by creation time, then id). \
            Filters combine: q (contained in e-mail, first name, last name, full name or company, \
            case-insensitive), email (exact, normalised), company (exact, case-insensitive). Pages by an opaque \
            keyset cursor: pass next as after; contacts created while paging show up on later pages, none is \
            skipped or repeated.""")
    @APIResponse(responseCode = "200", description = "A page", content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = Page.class), examples = @ExampleObject(name = "page", value = "{\"items\": ["
            + ContactView.EXAMPLE
            + "], \"next\": \"YzE6MTc2MzYzMzcwMDAwMDAwMDo1YjdlMWM5YS0zZjBlLTRhNDMtOWE0ZS0wZDZjMWYxZjJhMTE\"}")))
    @APIResponse(responseCode = "422", description = "A bad limit, e-mail or cursor", content = @Content(mediaType = Problem.MEDIA_TYPE, examples = @ExampleObject(name = "bad cursor", value = """
            {"type": "https://leadsuite.io/problems/unprocessable", "title": "The request cannot be processed",
             "status": 422, "detail": "The cursor is not one this service issued",
             "errors": [{"field": "after", "message": "not a valid cursor"}]}""")))
    public Uni<Page> search(
            @Parameter(description = "Free text", example = "silva") @QueryParam("q") String q,
            @Parameter(description = "E-mail (normalised before comparing)", example = "ana@example.com") @QueryParam("email") String email,
            @Parameter(description = "Company name, case-insensitive", example = "Acme") @QueryParam("company") String company,
            @Parameter(description = "Page size, 1 to 200", example = "50") @QueryParam("limit") @DefaultValue("50") int limit,
            @Parameter(description = "The next cursor of the previous page") @QueryParam("after") String after) {
        return contacts.search(q, email, company, limit, after)
                .map(page -> new Page(page.items().stream().map(ContactView::of).toList(), page.next()));
    }

    @PATCH
    @Path("/{id}")
    @Consumes({ MERGE_PATCH, MediaType.APPLICATION_JSON })
    @RolesAllowed({ Roles.MARKETING, Roles.TELESALES, Roles.SALES, Roles.ADMIN })
    @Operation(operationId = "updateContact", summary = "Update a contact (JSON merge patch, RFC 7396)", description = """
            Members set fields, null \
            clears one (not email). consent {marketing, source?, at?} gives or withdraws marketing consent and is \
            recorded in the consent history. With If-Match (the ETag of a GET) a stale version is refused with \
            412; without If-Match the update applies to the current version (last writer wins). Publishes \
            contact.updated naming the changed fields; a patch that changes nothing publishes nothing.""")
    @RequestBody(content = {
            @Content(mediaType = MERGE_PATCH, schema = @Schema(implementation = PatchDoc.class), examples = @ExampleObject(name = "patch", value = "{\"jobTitle\": \"CTO\", \"phone\": null, \"consent\": {\"marketing\": false, \"source\": \"unsubscribe-link\"}}")),
            @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = PatchDoc.class), examples = @ExampleObject(name = "patch", value = "{\"company\": \"Acme Energy\"}")) })
    @APIResponse(responseCode = "200", description = "The updated contact; ETag carries its new version", headers = @Header(name = HttpHeaders.ETAG, description = "The new version"), content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = ContactView.class), examples = @ExampleObject(name = "updated", value = ContactView.EXAMPLE)))
    @APIResponse(responseCode = "400", description = "The body is not a JSON object", content = @Content(mediaType = Problem.MEDIA_TYPE, examples = @ExampleObject(name = "malformed", value = "{\"type\": \"https://leadsuite.io/problems/malformed-body\", \"title\": \"The request body cannot be read\", \"status\": 400, \"detail\": \"A merge patch must be a JSON object\"}")))
    @APIResponse(responseCode = "404", description = "No such contact", content = @Content(mediaType = Problem.MEDIA_TYPE, examples = @ExampleObject(name = "not found", value = PROBLEM_404)))
    @APIResponse(responseCode = "409", description = "The new e-mail belongs to another contact (existingId), or the contact was merged (mergedInto)", content = @Content(mediaType = Problem.MEDIA_TYPE, examples = @ExampleObject(name = "merged", value = "{\"type\": \"https://leadsuite.io/problems/conflict\", \"title\": \"Conflict\", \"status\": 409, \"detail\": \"Contact 0e0c4d1e-8f5a-4a8e-b4b7-2b0f7c9c1d22 was merged into 5b7e1c9a-3f0e-4a43-9a4e-0d6c1f1f2a11\", \"mergedInto\": \"5b7e1c9a-3f0e-4a43-9a4e-0d6c1f1f2a11\"}")))
    @APIResponse(responseCode = "410", description = "The contact was erased", content = @Content(mediaType = Problem.MEDIA_TYPE, examples = @ExampleObject(name = "erased", value = PROBLEM_410)))
    @APIResponse(responseCode = "412", description = "If-Match names a version that is no longer current", content = @Content(mediaType = Problem.MEDIA_TYPE, examples = @ExampleObject(name = "stale", value = "{\"type\": \"https://leadsuite.io/problems/precondition-failed\", \"title\": \"Precondition failed\", \"status\": 412, \"detail\": \"The contact changed since version 1; it is now at version 2\", \"version\": 2}")))
    @APIResponse(responseCode = "422", description = "Invalid, unknown or read-only fields", content = @Content(mediaType = Problem.MEDIA_TYPE, examples = @ExampleObject(name = "invalid", value = PROBLEM_422)))
    public Uni<Response> patch(@PathParam("id") UUID id,
            @Parameter(description = "The ETag of the version the change is based on", example = "\"2\"") @HeaderParam(HttpHeaders.IF_MATCH) String ifMatch,
            String body) throws JsonProcessingException {
        JsonNode patch = mapper.readTree(body == null ? "" : body);
        if (patch == null || !patch.isObject()) {
            throw new ProblemException(400, "malformed-body", "The request body cannot be read",
                    "A merge patch must be a JSON object", null);
        }
        Long expected = expectedVersion(ifMatch);
        return contacts.patch(id, (ObjectNode) patch, expected)
                .map(c -> Response.ok(ContactView.of(c)).header(HttpHeaders.ETAG, etag(c)).build());
    }

    @DELETE
    @Path("/{id}")
    @RolesAllowed({ Roles.MARKETING, Roles.ADMIN })
    @Operation(operationId = "eraseContact", summary = "Erase a contact (GDPR)", description = """
            Removes every personal field, the consent history \
            and stored request answers that held them; keeps a tombstone without personal data (id, erasedAt) \
            that answers 410. Duplicates merged into it are erased too. Publishes contact.erased, on which the \
            other services remove what they hold. Repeating it answers 204 again and changes nothing.""")
    @APIResponse(responseCode = "204", description = "Erased (or already erased)")
    @APIResponse(responseCode = "404", description = "No such contact", content = @Content(mediaType = Problem.MEDIA_TYPE, examples = @ExampleObject(name = "not found", value = PROBLEM_404)))
    public Uni<Response> erase(@PathParam("id") UUID id) {
        return erasures.erase(id).replaceWith(Response.noContent().build());
    }

    @POST
    @Path("/{id}/merge")
    @RolesAllowed({ Roles.MARKETING, Roles.ADMIN })
    @Operation(operationId = "mergeContact", summary = "Merge a duplicate into this contact", description = """
            The survivor ({id}) gets every field it \
            lacks from the duplicate; marketing consent becomes the stricter of the two (withdrawn or missing wins); \
            the duplicate's consent history moves over; the duplicate keeps answering GET with mergedInto. \
            Publishes contact.merged (and contact.updated when the survivor changed). Idempotent: merging the same \
            duplicate again answers 200 with the survivor and publishes nothing.""")
    @RequestBody(content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = MergeRequest.class), examples = @ExampleObject(name = "merge", value = "{\"duplicateId\": \"0e0c4d1e-8f5a-4a8e-b4b7-2b0f7c9c1d22\"}")))
    @APIResponse(responseCode = "200", description = "The survivor after the merge", content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = ContactView.class), examples = @ExampleObject(name = "survivor", value = ContactView.EXAMPLE)))
    @APIResponse(responseCode = "404", description = "No such survivor", content = @Content(mediaType = Problem.MEDIA_TYPE, examples = @ExampleObject(name = "not found", value = PROBLEM_404)))
    @APIResponse(responseCode = "409", description = "The survivor was itself merged, or the duplicate was merged into another contact (mergedInto)", content = @Content(mediaType = Problem.MEDIA_TYPE, examples = @ExampleObject(name = "merged elsewhere", value = "{\"type\": \"https://leadsuite.io/problems/conflict\", \"title\": \"Conflict\", \"status\": 409, \"detail\": \"Contact 0e0c4d1e-8f5a-4a8e-b4b7-2b0f7c9c1d22 was already merged into 9d1c0b7a-1111-4a43-9a4e-0d6c1f1f2a11\", \"mergedInto\": \"9d1c0b7a-1111-4a43-9a4e-0d6c1f1f2a11\"}")))
    @APIResponse(responseCode = "410", description = "The survivor was erased", content = @Content(mediaType = Problem.MEDIA_TYPE, examples = @ExampleObject(name = "erased", value = PROBLEM_410)))
    @APIResponse(responseCode = "422", description = "duplicateId missing, unknown, erased or the survivor itself", content = @Content(mediaType = Problem.MEDIA_TYPE, examples = @ExampleObject(name = "self", value = "{\"type\": \"https://leadsuite.io/problems/unprocessable\", \"title\": \"The request cannot be processed\", \"status\": 422, \"detail\": \"A contact cannot be merged into itself\", \"errors\": [{\"field\": \"duplicateId\", \"message\": \"must differ from the survivor\"}]}")))
    public Uni<ContactView> merge(@PathParam("id") UUID id, @NotNull @Valid MergeRequest request) {
        return merges.merge(id, request.duplicateId()).map(m -> ContactView.of(m.survivor()));
    }

    @GET
    @Path("/{id}/consent-history")
    @RolesAllowed({ Roles.MARKETING, Roles.TELESALES, Roles.SALES, Roles.ADMIN })
    @Operation(operationId = "getConsentHistory", summary = "Marketing consent given and withdrawn, in the order recorded", description = "Includes the history of duplicates merged into this contact.")
    @APIResponse(responseCode = "200", description = "The history", content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = ConsentChangeView[].class), examples = @ExampleObject(name = "history", value = """
            [{"marketing": true, "at": "2026-11-20T10:15:00Z", "source": "form-42"},
             {"marketing": false, "at": "2026-11-21T08:00:00Z", "source": "unsubscribe-link"}]""")))
    @APIResponse(responseCode = "404", description = "No such contact", content = @Content(mediaType = Problem.MEDIA_TYPE, examples = @ExampleObject(name = "not found", value = PROBLEM_404)))
    @APIResponse(responseCode = "410", description = "The contact was erased", content = @Content(mediaType = Problem.MEDIA_TYPE, examples = @ExampleObject(name = "erased", value = PROBLEM_410)))
    public Uni<List<ConsentChangeView>> consentHistory(@PathParam("id") UUID id) {
        return contacts.consentHistory(id).map(list -> list.stream()
                .map(c -> new ConsentChangeView(c.marketing(), c.at(), c.source())).toList());
    }

    static String etag(Contact c) {
        return "\"" + c.version + "\"";
    }

    /** The version named by If-Match ({@code "3"}, {@code W/"3"} or {@code 3}); null for none or {@code *}. */
    static Long expectedVersion(String ifMatch) {
        if (ifMatch == null || ifMatch.isBlank() || ifMatch.strip().equals("*")) {
            return null;
        }
        String value = ifMatch.strip();
        if (value.contains(",")) {
            value = value.substring(0, value.indexOf(',')).strip();
        }
        if (value.startsWith("W/")) {
            value = value.substring(2);
        }
        value = value.replace("\"", "");
        try {
            return Long.parseLong(value);
        } catch (NumberFormatException e) {
            // no version of this contact has that tag
            return -1L;
        }
    }
}
