package io.leadsuite.lead.rest;

import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.SecurityContext;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.ExampleObject;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.jboss.resteasy.reactive.server.Cancellable;

import io.leadsuite.contracts.Roles;
import io.leadsuite.kit.idempotency.IdempotentRequests;
import io.leadsuite.lead.service.CaptureService;
import io.smallrye.mutiny.Uni;

@Path("/captures")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
@Tag(name = "Captures")
@Cancellable(false)
public class CaptureResource {

    @Inject
    IdempotentCapture captures;
    @Inject
    IdempotentRequests idempotency;

    @POST
    @RolesAllowed({ Roles.MARKETING, Roles.ADMIN, Roles.FORM })
    @Operation(operationId = "capture", summary = "Capture a form submission", description = """
            Matches or creates the contact by e-mail, then creates the lead in the first stage of the \
            default flow or touches the open lead of that contact and topic. Counts as a FORM_SUBMITTED \
            interaction for scoring. A `campaign` (id or name) is the campaign the lead came from when the \
            capture creates it, and a touch of that campaign either way. A public web form (role form: the \
            gateway's form token in X-Form-Token, never a bearer token) gets 202 {"status": "received"} \
            whatever happened, so that an anonymous visitor cannot learn whether an e-mail was known; its posts \
            score once per lead per window, and its consent is recorded as pending until the person confirms it.""")
    @APIResponse(responseCode = "201", description = "A contact or a lead was created", content = @Content(schema = @Schema(implementation = CaptureService.CaptureResult.class), examples = @ExampleObject(name = "created", value = """
            {"contactId": "0b6d2a8e-3c1f-4d7a-9a55-2f1de3b7c901", "leadId": "5f0c7c1e-8a0e-4c38-9d8f-6a1f3c2b9e10",
             "contactCreated": true, "leadCreated": true}""")))
    @APIResponse(responseCode = "200", description = "Both existed; the open lead was touched", content = @Content(schema = @Schema(implementation = CaptureService.CaptureResult.class), examples = @ExampleObject(name = "touched", value = """
            {"contactId": "0b6d2a8e-3c1f-4d7a-9a55-2f1de3b7c901", "leadId": "5f0c7c1e-8a0e-4c38-9d8f-6a1f3c2b9e10",
             "contactCreated": false, "leadCreated": false}""")))
    @APIResponse(responseCode = "202", description = "A public web form's submission was received (nothing else is said)", content = @Content(schema = @Schema(implementation = Received.class), examples = @ExampleObject(name = "received", value = "{\"status\": \"received\"}")))
    @APIResponse(responseCode = "422", description = "Invalid fields, an unknown topic or campaign when the service refuses those, or an Idempotency-Key used for another request")
    @APIResponse(responseCode = "503", description = """
            contact-service is unavailable, or so many captures wait to be recorded on this replica that this one was \
            not taken; nothing was stored. Send it again after Retry-After, with the same Idempotency-Key.""")
    public Uni<Response> capture(@NotNull @Valid CaptureRequest request,
            @Parameter(description = """
                    Repeat a capture with the same key and body within 24 hours and get the first \
                    answer again, with nothing counted twice (a key belongs to the caller that sent it)""") @HeaderParam(IdempotentRequests.HEADER) String key,
            SecurityContext security) {
        boolean form = security.isUserInRole(Roles.FORM);
        String caller = security.getUserPrincipal().getName();
        IdempotentRequests.Request keyed = idempotency.request("captures", caller, key, request);
        return captures.capture(keyed, request.submission(form), caller, result -> answer(result, form));
    }

    /** The whole answer to a public web form: received, and nothing about the person or the lead. */
    @Schema(name = "FormReceived", example = "{\"status\": \"received\"}")
    public record Received(String status) {
        static final Received RECEIVED = new Received("received");
    }

    private static IdempotentRequests.Answer answer(CaptureService.CaptureResult result, boolean form) {
        if (form) {
            return new IdempotentRequests.Answer(202, Received.RECEIVED, null);
        }
        return new IdempotentRequests.Answer(result.contactCreated() || result.leadCreated() ? 201 : 200, result,
                null);
    }
}
