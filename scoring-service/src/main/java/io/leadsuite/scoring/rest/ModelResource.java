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
import io.leadsuite.scoring.service.ModelCatalog;
import io.smallrye.mutiny.Uni;

@Path("/scoring/models")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "Scoring models")
@SecurityRequirement(name = "jwt")
public class ModelResource {

    private final ModelCatalog models;

    public ModelResource(ModelCatalog models) {
        this.models = models;
    }

    /** A page of models; {@code next} is null when there are no more. */
    public record Page(List<ModelView> items, String next) {
    }

    @GET
    @RolesAllowed({ Roles.MARKETING, Roles.ADMIN, Roles.SALES, Roles.TELESALES })
    @Operation(summary = "List the scoring models", description = "Drafts, published and retired models. Creating, "
            + "changing, publishing and retiring models come with their own issue.")
    @APIResponse(responseCode = "200", description = "Every model (the list is short; one page)")
    public Uni<Page> list() {
        return models.list().map(list -> new Page(list.stream().map(ModelView::of).toList(), null));
    }

    @GET
    @Path("/{id}")
    @RolesAllowed({ Roles.MARKETING, Roles.ADMIN, Roles.SALES, Roles.TELESALES })
    @Operation(summary = "Read a scoring model")
    @APIResponse(responseCode = "200", description = "The model with its scope, grades and rules")
    @APIResponse(responseCode = "404", description = "No such model")
    public Uni<ModelView> get(@PathParam("id") UUID id) {
        return models.get(id).map(ModelView::of);
    }
}
