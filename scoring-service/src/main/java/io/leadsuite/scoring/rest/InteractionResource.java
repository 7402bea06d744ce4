package io.leadsuite.scoring.rest;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.ExampleObject;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.RequestBody;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.jboss.resteasy.reactive.server.Cancellable;

import com.fasterxml.jackson.databind.JsonNode;

import io.leadsuite.contracts.Roles;
import io.leadsuite.kit.problem.Problem.FieldError;
import io.leadsuite.kit.problem.ProblemException;
import io.leadsuite.scoring.config.ScoringClock;
import io.leadsuite.scoring.service.InteractionBatch;
import io.leadsuite.scoring.service.InteractionService;
import io.smallrye.mutiny.Uni;

@Path("/interactions")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
@Tag(name = "Interactions")
@Cancellable(false)
public class InteractionResource {

    @Inject
    InteractionService interactions;

    @Inject
    ScoringClock clock;

    /** One interaction as submitted (read field by field by {@link InteractionBatch}, which rejects items one by one). */
    @Schema(name = "Interaction")
    public record InteractionRequest(
            @Schema(required = true, maxLength = 200, description = "the sender's id of the interaction; a repeated id is a duplicate") String id,
            @Schema(required = true, description = """
                    EMAIL_OPENED, EMAIL_CLICKED, PAGE_VISITED, FORM_SUBMITTED, EVENT_REGISTERED, \
                    EVENT_ATTENDED, UNSUBSCRIBED or CUSTOM:<name>""") String type,
            @Schema(description = "the contact; contactId or email is required") UUID contactId,
            @Schema(description = "the contact's e-mail; contactId or email is required") String email,
            @Schema(description = "only this lead; otherwise every open lead of the contact (of the topic)") UUID leadId,
            String topic,
            @Schema(description = "when it happened (default: now)") Instant occurredAt,
            @Schema(description = """
                    e.g. url, campaign; rules may test them. `campaign` (text, at most 200 characters) names \
                    the campaign the interaction came from, by id or name (GET /campaigns): each lead it counts for \
                    is a touch of that campaign (a name that is not in the list touches none)""") Map<String, Object> attributes,
            @Schema(maxLength = 200, description = """
                    the same as attributes.campaign (stored there); when both are given \
                    they must be equal""") String campaign) {
    }

    /** What became of each item of a submission. */
    @Schema(name = "InteractionSubmission")
    public record SubmissionView(List<String> accepted, List<String> duplicates,
            List<RejectedItem> rejected) {
    }

    @POST
    @RolesAllowed({ Roles.MARKETING, Roles.ADMIN })
    @Operation(operationId = "submitInteractions", summary = "Submit one interaction or a batch", description = """
            An array of up to 1000 \
            interactions (a single interaction object is accepted too, as a batch of one). Each is stored and applied to its leads' scores at once: the named lead, or every open lead of \
            the contact (of the topic, when given). An id seen before is a duplicate and never counts twice; an \
            interaction whose lead or contact is not known yet is applied when it arrives. Requests that arrive \
            together are applied in one transaction, in arrival order; each gets its own answer once that commits.""")
    @RequestBody(content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(type = SchemaType.ARRAY, implementation = InteractionRequest.class, maxItems = InteractionBatch.MAX_ITEMS), examples = {
            @ExampleObject(name = "batch", value = """
                    [{"id": "mail-7781-open", "type": "EMAIL_OPENED", "email": "ana@example.com",
                      "occurredAt": "2026-03-01T10:15:30Z", "attributes": {"campaign": "spring-launch"}},
                     {"id": "web-99812", "type": "PAGE_VISITED", "contactId": "5b0f4f6e-3c1e-4a53-9f55-2b8d0f1c9a10",
                      "topic": "solar-panels", "attributes": {"url": "https://example.com/pricing"}}]"""),
            @ExampleObject(name = "one", value = """
                    {"id": "evt-2026-expo-ana", "type": "EVENT_ATTENDED", "email": "ana@example.com",
                     "leadId": "9a4c2d5e-8f7b-4e1a-b3c6-0d9e8f7a6b5c", "attributes": {"event": "expo-2026"}}""") }))
    @APIResponse(responseCode = "202", description = "Accepted ids, duplicate ids and rejected items (by index, with reasons)", content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = SubmissionView.class), examples = @ExampleObject(name = "partly accepted", value = """
            {"accepted": ["mail-7781-open"], "duplicates": ["web-99812"],
             "rejected": [{"index": 2, "id": "x-1", "errors": [{"field": "type", "message": "must be one of ..."}]}]}""")))
    @APIResponse(responseCode = "400", description = "Malformed JSON, or neither an object nor an array")
    @APIResponse(responseCode = "401", description = "No valid token")
    @APIResponse(responseCode = "403", description = "The token's roles do not allow this")
    @APIResponse(responseCode = "422", description = "No item is valid (or none, or more than 1000)")
    @APIResponse(responseCode = "503", description = """
            Busy: so many interactions wait to be applied on this replica that \
            the request was not taken; nothing was stored. Send it again after Retry-After (its ids make a repeat harmless)""")
    public Uni<Response> submit(JsonNode body) {
        InteractionBatch batch = InteractionBatch.read(body, clock.now());
        List<RejectedItem> rejected = batch.rejected().stream().map(RejectedItem::of).toList();
        if (batch.valid().isEmpty()) {
            List<FieldError> errors = new ArrayList<>();
            for (RejectedItem r : rejected) {
                r.errors().forEach(e -> errors.add(new FieldError("[" + r.index() + "]"
                        + (e.field().isEmpty() ? "" : "." + e.field()), e.message())));
            }
            throw ProblemException.unprocessable("No interaction in the request is valid", errors)
                    .with("rejected", rejected);
        }
        return interactions.submit(batch.valid())
                .map(outcome -> Response.accepted(new SubmissionView(outcome.accepted(), outcome.duplicates(),
                        rejected)).build());
    }
}
