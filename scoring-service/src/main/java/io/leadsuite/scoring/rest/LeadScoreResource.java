package io.leadsuite.scoring.rest;

import java.util.List;
import java.util.UUID;

import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import io.leadsuite.contracts.Roles;
import io.leadsuite.scoring.service.ScoreQueries;
import io.smallrye.mutiny.Uni;

@Path("/leads/{id}/scores")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "Scores")
@SecurityRequirement(name = "jwt")
public class LeadScoreResource {

    private final ScoreQueries scores;

    public LeadScoreResource(ScoreQueries scores) {
        this.scores = scores;
    }

    @GET
    @RolesAllowed({ Roles.MARKETING, Roles.TELESALES, Roles.SALES, Roles.ADMIN, Roles.CRM })
    @Operation(summary = "A lead's scores", description = "One entry per published model whose scope admits the lead.")
    @APIResponse(responseCode = "200", description = "The scores")
    @APIResponse(responseCode = "404", description = "The lead is not known to scoring")
    public Uni<List<ScoreQueries.ModelScoreView>> scores(@PathParam("id") UUID id) {
        return scores.scores(id);
    }

    @GET
    @Path("/{modelId}/explanation")
    @RolesAllowed({ Roles.MARKETING, Roles.TELESALES, Roles.SALES, Roles.ADMIN, Roles.CRM })
    @Operation(summary = "Why a lead has its score under a model", description = "The rule hits behind the score, "
            + "oldest first; the score is the sum of their points.")
    @APIResponse(responseCode = "200", description = "The explanation")
    @APIResponse(responseCode = "404", description = "The lead, the model or the lead's score under it is not known")
    public Uni<ScoreQueries.Explanation> explanation(@PathParam("id") UUID id, @PathParam("modelId") UUID modelId) {
        return scores.explanation(id, modelId);
    }
}
