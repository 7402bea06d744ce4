package io.leadsuite.contact.rest;

import jakarta.annotation.security.PermitAll;
import jakarta.inject.Inject;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.ExampleObject;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirements;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.jboss.resteasy.reactive.server.Cancellable;

import io.leadsuite.contact.service.ConsentConfirmations;
import io.leadsuite.kit.problem.Problem;
import io.smallrye.mutiny.Uni;

/**
 * {@code POST /consent/confirm}: the person confirms the marketing consent they gave on a public web form, with the
 * token of the confirmation e-mail. No staff token: the token is the credential (random, single use, expiring; only
 * its hash is stored). The gateway serves it at {@code /api/consent/confirm}, rate-limited per client address.
 */
@Path("/consent")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
@Tag(name = "Consent")
@Cancellable(false)
public class ConsentResource {

    @Inject
    ConsentConfirmations confirmations;

    @Schema(name = "ConsentConfirmation", example = "{\"token\": \"q3Zb0r7mYHc9a1Xr0T2lJ8wE5kN4pV6sU9dG3fA1bC0\"}")
    public record Confirmation(@NotBlank @Size(max = 200) String token) {
    }

    @Schema(name = "ConsentConfirmed", example = "{\"status\": \"confirmed\"}")
    public record Confirmed(String status) {
    }

    @POST
    @Path("/confirm")
    @PermitAll
    @SecurityRequirements
    @Operation(operationId = "confirmConsent", summary = "Confirm marketing consent given on a public web form", description = """
            Double opt-in: the token comes from the confirmation e-mail (event \
            consent.confirmation-requested). The contact's consent becomes {marketing: true, pending: false} and \
            contact.updated is published. The answer names nobody.""")
    @APIResponse(responseCode = "200", description = "Confirmed", content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = Confirmed.class), examples = @ExampleObject(name = "confirmed", value = "{\"status\": \"confirmed\"}")))
    @APIResponse(responseCode = "400", description = "A body that is not JSON", content = @Content(mediaType = Problem.MEDIA_TYPE))
    @APIResponse(responseCode = "422", description = "No token, or one that is unknown, used or expired", content = @Content(mediaType = Problem.MEDIA_TYPE, examples = @ExampleObject(name = "unknown", value = """
            {"type": "https://leadsuite.io/problems/unprocessable", "title": "The request cannot be processed",
             "status": 422, "detail": "The confirmation token is unknown, used or expired",
             "errors": [{"field": "token", "message": "unknown, used or expired"}]}""")))
    public Uni<Confirmed> confirm(@NotNull @Valid Confirmation confirmation) {
        return confirmations.confirm(confirmation.token()).map(id -> new Confirmed("confirmed"));
    }
}
