package io.leadsuite.scoring.rest;

import java.util.List;
import java.util.UUID;

import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.ExampleObject;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.jboss.resteasy.reactive.server.Cancellable;

import io.leadsuite.contracts.Roles;
import io.leadsuite.kit.problem.Problem.FieldError;
import io.leadsuite.kit.problem.ProblemException;
import io.leadsuite.scoring.service.ScoreQueries;
import io.smallrye.mutiny.Uni;

@Path("/leads/{id}/scores")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "Scores")
@Cancellable(false)
@RolesAllowed({ Roles.MARKETING, Roles.TELESALES, Roles.SALES, Roles.ADMIN, Roles.CRM })
public class LeadScoreResource {

    @Inject
    ScoreQueries scores;

    @GET
    @Operation(operationId = "getLeadScores", summary = "A lead's scores", description = "One entry per published model whose scope admits the lead.")
    @APIResponse(responseCode = "200", description = "The scores", content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(type = SchemaType.ARRAY, implementation = ScoreQueries.ModelScoreView.class), examples = @ExampleObject(name = "scores", value = """
            [{"modelId": "00000000-0000-0000-0000-00000000d3fa", "modelName": "Default engagement", "score": 55,
              "grade": "B", "salesReady": true, "updatedAt": "2026-03-01T10:15:30Z"}]""")))
    @APIResponse(responseCode = "404", description = "The lead is not known to scoring")
    public Uni<List<ScoreQueries.ModelScoreView>> scores(@PathParam("id") UUID id) {
        return scores.scores(id);
    }

    @GET
    @Path("/{modelId}/explanation")
    @Operation(operationId = "getScoreExplanation", summary = "Why a lead has its score under a model", description = """
            The rule hits behind the score, \
            oldest first; the score is the sum of their points.""")
    @APIResponse(responseCode = "200", description = "The explanation", content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = ScoreQueries.Explanation.class), examples = @ExampleObject(name = "explanation", value = """
            {"leadId": "9a4c2d5e-8f7b-4e1a-b3c6-0d9e8f7a6b5c", "modelId": "00000000-0000-0000-0000-00000000d3fa",
             "modelName": "Default engagement", "score": 35, "grade": "C", "salesReady": false, "hits": [
              {"ruleId": "form-submitted", "kind": "BEHAVIOUR", "interactionId": "3f1e...", "interactionType":
               "FORM_SUBMITTED", "points": 10, "occurredAt": "2026-03-01T10:15:30Z", "expiresAt": null},
              {"ruleId": "pricing", "kind": "BEHAVIOUR", "interactionId": "web-99812", "interactionType":
               "PAGE_VISITED", "points": 20, "occurredAt": "2026-03-01T11:00:00Z", "expiresAt": "2026-03-31T11:00:00Z"},
              {"ruleId": "director", "kind": "DEMOGRAPHIC", "interactionId": null, "interactionType": null,
               "points": 5, "occurredAt": "2026-03-01T10:15:31Z", "expiresAt": null}]}""")))
    @APIResponse(responseCode = "404", description = "The lead, the model or the lead's score under it is not known")
    public Uni<ScoreQueries.Explanation> explanation(@PathParam("id") UUID id, @PathParam("modelId") UUID modelId) {
        return scores.explanation(id, modelId);
    }

    @GET
    @Path("/history")
    @Operation(operationId = "getScoreHistory", summary = "A lead's score history", description = """
            Every change of the lead's score, grade or \
            sales-readiness under any model, oldest first, with its cause: INTERACTION, DECAY (points expired), \
            RESCORE (a model was published or retired) or ATTRIBUTES (a contact or lead attribute changed).""")
    @APIResponse(responseCode = "200", description = "A page of entries", content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = ScoreQueries.HistoryPage.class), examples = @ExampleObject(name = "history", value = """
            {"items": [
              {"id": 101, "modelId": "00000000-0000-0000-0000-00000000d3fa", "modelVersion": 1, "score": 60,
               "grade": "B", "salesReady": true, "cause": "INTERACTION", "interactionId": "web-99812",
               "at": "2026-03-01T11:00:00Z"},
              {"id": 187, "modelId": "00000000-0000-0000-0000-00000000d3fa", "modelVersion": 1, "score": 40,
               "grade": "C", "salesReady": false, "cause": "DECAY", "interactionId": null,
               "at": "2026-03-31T11:00:05Z"}], "next": null}""")))
    @APIResponse(responseCode = "404", description = "The lead is not known to scoring")
    @APIResponse(responseCode = "422", description = "limit outside 1..500")
    public Uni<ScoreQueries.HistoryPage> history(@PathParam("id") UUID id,
            @QueryParam("limit") @DefaultValue("100") int limit, @QueryParam("after") String after) {
        long cursor;
        try {
            cursor = after == null || after.isBlank() ? 0 : Long.parseLong(after.strip());
        } catch (NumberFormatException e) {
            throw ProblemException.badRequest("after must be a cursor returned as next");
        }
        if (limit < 1 || limit > 500) {
            throw ProblemException.unprocessable("limit must be between 1 and 500",
                    List.of(new FieldError("limit", "must be between 1 and 500")));
        }
        return scores.history(id, limit, cursor);
    }
}
