package io.leadsuite.scoring.rest;

import java.net.URI;
import java.util.List;
import java.util.UUID;

import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.ExampleObject;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.RequestBody;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.jboss.resteasy.reactive.server.Cancellable;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;

import io.leadsuite.contracts.Roles;
import io.leadsuite.kit.problem.ProblemException;
import io.leadsuite.scoring.service.ModelCatalog;
import io.leadsuite.scoring.service.ModelService;
import io.smallrye.mutiny.Uni;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;

/**
 * Scoring models and their versions. Changing a model is for marketing and admins (the roles of the class, so of every
 * operation that names none of its own); reading one is open to sales and telesales too.
 */
@Path("/scoring/models")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "Scoring models")
@Cancellable(false)
@RolesAllowed({ Roles.MARKETING, Roles.ADMIN })
public class ModelResource {

    static final String MODEL_EXAMPLE = """
            {"name": "Solar fit and engagement", "description": "Directors in Iberia who look at pricing",
             "scope": {"topics": ["solar-panels"]}, "salesReadyThreshold": 60,
             "grades": [{"name": "Cold", "minScore": 0}, {"name": "Warm", "minScore": 30},
                        {"name": "Hot", "minScore": 60}],
             "rules": [
               {"id": "pricing", "kind": "BEHAVIOUR", "interactionType": "PAGE_VISITED", "attribute": "url",
                "operator": "CONTAINS", "value": "/pricing", "points": 20, "maxTimes": 3, "windowDays": 30},
               {"id": "webinar", "kind": "BEHAVIOUR", "interactionType": "CUSTOM:webinar-attended", "points": 25},
               {"id": "unsubscribed", "kind": "BEHAVIOUR", "interactionType": "UNSUBSCRIBED", "points": -40},
               {"id": "director", "kind": "DEMOGRAPHIC", "attribute": "jobTitle", "operator": "CONTAINS",
                "value": "director", "points": 15},
               {"id": "iberia", "kind": "DEMOGRAPHIC", "attribute": "country", "operator": "IN",
                "value": ["PT", "ES"], "points": 5},
               {"id": "budget", "kind": "LEAD", "attribute": "budget", "operator": "GREATER_OR_EQUAL",
                "value": 10000, "points": 20},
               {"id": "this-quarter", "kind": "LEAD", "attribute": "timeframe", "operator": "EQUALS",
                "value": "THIS_QUARTER", "points": 10}]}""";
    static final String MODEL_VIEW_EXAMPLE = """
            {"id": "7d2f0c4e-1b5a-4c9e-8f3d-2a6b9c0d1e2f", "name": "Solar fit and engagement",
             "description": "Directors in Iberia who look at pricing", "scope": {"topics": ["solar-panels"]},
             "salesReadyThreshold": 60, "grades": [{"name": "Cold", "minScore": 0}, {"name": "Warm", "minScore": 30},
             {"name": "Hot", "minScore": 60}], "rules": [{"id": "pricing", "kind": "BEHAVIOUR",
             "interactionType": "PAGE_VISITED", "attribute": "url", "operator": "CONTAINS", "value": "/pricing",
             "points": 20, "maxTimes": 3, "windowDays": 30}], "status": "PUBLISHED", "version": 2, "draftVersion": 3,
             "createdAt": "2026-03-01T10:15:30Z", "updatedAt": "2026-03-02T08:00:00Z"}""";
    static final String MODEL_PAGE_EXAMPLE = "{\"items\": [" + MODEL_VIEW_EXAMPLE + "], \"next\": null}";
    static final String INVALID_EXAMPLE = """
            {"type": "https://leadsuite.io/problems/validation", "title": "Unprocessable content", "status": 422,
             "detail": "The scoring model is not valid: 3 problem(s)", "errors": [
              {"field": "rules[0].interactionType", "message": "unknown interaction type 'EMAIL_BOUNCED': must be one of EMAIL_CLICKED, ... or CUSTOM:<name>"},
              {"field": "grades[1].minScore", "message": "overlaps band 'Cold', which starts at the same score 0"},
              {"field": "salesReadyThreshold", "message": "must lie within the grade bands (at least 0, the lowest band's minScore)"}]}""";
    static final String TRANSITION_EXAMPLE = """
            {"model": {"id": "7d2f0c4e-1b5a-4c9e-8f3d-2a6b9c0d1e2f", "name": "Solar fit and engagement",
              "status": "PUBLISHED", "version": 2, "salesReadyThreshold": 60, "scope": {"topics": ["solar-panels"]},
              "grades": [], "rules": []},
             "job": {"id": "0b8e7f6a-5d4c-4b3a-9e2f-1c0d9b8a7e6f", "modelId": "7d2f0c4e-1b5a-4c9e-8f3d-2a6b9c0d1e2f",
              "modelVersion": 2, "kind": "PUBLISH", "state": "QUEUED", "total": 0, "done": 0, "failed": 0,
              "changed": 0, "createdAt": "2026-03-02T08:00:00Z"}}""";

    @Inject
    ModelCatalog models;
    @Inject
    ModelService service;

    /**
     * The body of creating or editing a model (read field by field by {@code ScoringModelInput}, which names every problem in
     * a 422 rather than failing on the first).
     */
    @Schema(name = "ScoringModelDefinition")
    public record ScoringModelRequest(@Schema(required = true) String name, String description, ScoringModelView.Scope scope,
            @Schema(required = true) Integer salesReadyThreshold, List<ScoringModelView.Grade> grades,
            List<ScoringModelView.Rule> rules) {
    }

    /** A page of models; {@code next} is null when there are no more. */
    @Schema(name = "ScoringModelPage")
    public record Page(List<ScoringModelView> items, String next) {
    }

    /** A model after publishing or retiring and the re-scoring job that follows (null when none is needed). */
    @Schema(name = "ScoringModelTransition")
    public record TransitionView(ScoringModelView model, JobResource.JobView job) {
    }

    @GET
    @RolesAllowed({ Roles.MARKETING, Roles.ADMIN, Roles.SALES, Roles.TELESALES })
    @Operation(operationId = "listScoringModels", summary = "List the scoring models", description = """
            Drafts, published and retired models, each as the \
            version that scores (or the draft of a model never published).""")
    @APIResponse(responseCode = "200", description = "Every model (the list is short; one page)", content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = Page.class), examples = @ExampleObject(name = "models", value = MODEL_PAGE_EXAMPLE)))
    public Uni<Page> list() {
        return models.list().map(list -> new Page(list.stream().map(ScoringModelView::of).toList(), null));
    }

    @GET
    @Path("/{id}")
    @RolesAllowed({ Roles.MARKETING, Roles.ADMIN, Roles.SALES, Roles.TELESALES })
    @Operation(operationId = "getScoringModel", summary = "Read a scoring model", description = """
            The version that scores; draftVersion names a \
            pending edit (GET .../versions/{version}).""")
    @APIResponse(responseCode = "200", description = "The model with its scope, grades and rules", content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = ScoringModelView.class), examples = @ExampleObject(name = "model", value = MODEL_VIEW_EXAMPLE)))
    @APIResponse(responseCode = "404", description = "No such model")
    public Uni<ScoringModelView> get(@PathParam("id") UUID id) {
        return service.get(id).map(ScoringModelView::of);
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(operationId = "createScoringModel", summary = "Create a scoring model (as a draft)", description = """
            Rules: BEHAVIOUR (interactionType, \
            optional attribute test, points, maxTimes, windowDays), DEMOGRAPHIC (a contact attribute: email, \
            firstName, lastName, company, jobTitle, industry, country, phone, marketingConsent) and LEAD (a lead \
            attribute: topic, source, sourceRef, status, stage, team, owner, budget, currency, timeframe, need, \
            decisionMaker). Operators EQUALS, CONTAINS, STARTS_WITH (text, ignoring case), IN (a list), \
            GREATER_OR_EQUAL (numbers). Grade bands lowest first, each from its minScore; the threshold lies \
            within them. A draft scores nothing until it is published.""")
    @RequestBody(content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = ScoringModelRequest.class), examples = @ExampleObject(name = "model", value = MODEL_EXAMPLE)))
    @APIResponse(responseCode = "201", description = "Created (DRAFT, version 1); Location names it", content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = ScoringModelView.class), examples = @ExampleObject(name = "model", value = MODEL_VIEW_EXAMPLE)))
    @APIResponse(responseCode = "400", description = "Malformed JSON")
    @APIResponse(responseCode = "422", description = "Not a valid model; errors names every problem", content = @Content(mediaType = "application/problem+json", examples = @ExampleObject(name = "invalid", value = INVALID_EXAMPLE)))
    public Uni<Response> create(JsonNode body) {
        return service.create(object(body)).map(state -> Response.created(URI.create("/scoring/models/"
                + state.model().id)).entity(ScoringModelView.of(state)).build());
    }

    @PUT
    @Path("/{id}")
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(operationId = "updateScoringModel", summary = "Edit a scoring model", description = """
            A draft changes in place. A published model does not \
            change under the scores it produced: the edit becomes its next version, a draft (returned, and kept \
            as draftVersion) that scores nothing until published; editing again rewrites that draft. A retired \
            model cannot be edited (409).""")
    @RequestBody(content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = ScoringModelRequest.class), examples = @ExampleObject(name = "model", value = MODEL_EXAMPLE)))
    @APIResponse(responseCode = "200", description = "The draft as edited", content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = ScoringModelView.class), examples = @ExampleObject(name = "draft", value = MODEL_VIEW_EXAMPLE)))
    @APIResponse(responseCode = "404", description = "No such model")
    @APIResponse(responseCode = "409", description = "The model is retired")
    @APIResponse(responseCode = "422", description = "Not a valid model; errors names every problem", content = @Content(mediaType = "application/problem+json", examples = @ExampleObject(name = "invalid", value = INVALID_EXAMPLE)))
    public Uni<ScoringModelView> update(@PathParam("id") UUID id, JsonNode body) {
        return service.update(id, object(body))
                .map(state -> state.draft() != null ? ScoringModelView.of(state.draft()) : ScoringModelView.of(state));
    }

    @POST
    @Path("/{id}/publish")
    @Operation(operationId = "publishScoringModel", summary = "Publish a model's draft", description = """
            A new model starts scoring; a published model's \
            draft version supersedes the version that scored. Either way a background job re-scores the leads \
            the model affects from their stored interactions (GET /scoring/jobs/{id}); it starts two seconds \
            after it is queued. Live scoring goes on and uses the new version at once on the replica that \
            published it, within a second on the others.""")
    @APIResponse(responseCode = "202", description = "Published; the re-scoring job is queued", content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = TransitionView.class), examples = @ExampleObject(name = "published", value = TRANSITION_EXAMPLE)))
    @APIResponse(responseCode = "404", description = "No such model")
    @APIResponse(responseCode = "409", description = "Nothing to publish (no draft), or the model is retired")
    public Uni<Response> publish(@PathParam("id") UUID id) {
        return service.publish(id).map(ModelResource::transition);
    }

    // Alike on purpose: publish and retire (like other services' actions on one resource) are separate operations of
    // the API, each documented with its own answers; what they share in code is transition().
    @POST
    @Path("/{id}/retire")
    @Operation(operationId = "retireScoringModel", summary = "Retire a model", description = """
            It stops scoring (on the other replicas within a second); a pending \
            draft is dropped. A job, starting two seconds after it is queued, withdraws the leads' scores under it \
            (each lead gets a score.changed without it).""")
    @APIResponse(responseCode = "202", description = "Retired; the job (null for a model never published)", content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = TransitionView.class), examples = @ExampleObject(name = "retired", value = TRANSITION_EXAMPLE)))
    @APIResponse(responseCode = "404", description = "No such model")
    @APIResponse(responseCode = "409", description = "Already retired")
    public Uni<Response> retire(@PathParam("id") UUID id) {
        return service.retire(id).map(ModelResource::transition);
    }

    @GET
    @Path("/{id}/versions")
    @RolesAllowed({ Roles.MARKETING, Roles.ADMIN, Roles.SALES, Roles.TELESALES })
    @Operation(operationId = "listScoringModelVersions", summary = "Every version of a model", description = """
            Oldest first: SUPERSEDED, PUBLISHED, DRAFT or \
            RETIRED. A published version never changes.""")
    @APIResponse(responseCode = "200", description = "The versions", content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = Page.class), examples = @ExampleObject(name = "versions", value = MODEL_PAGE_EXAMPLE)))
    @APIResponse(responseCode = "404", description = "No such model")
    public Uni<Page> versions(@PathParam("id") UUID id) {
        return service.versions(id).map(list -> new Page(list.stream().map(ScoringModelView::of).toList(), null));
    }

    @GET
    @Path("/{id}/versions/{version}")
    @RolesAllowed({ Roles.MARKETING, Roles.ADMIN, Roles.SALES, Roles.TELESALES })
    @Operation(operationId = "getScoringModelVersion", summary = "One version of a model")
    @APIResponse(responseCode = "200", description = "The version", content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = ScoringModelView.class), examples = @ExampleObject(name = "version", value = MODEL_VIEW_EXAMPLE)))
    @APIResponse(responseCode = "404", description = "No such model or version")
    public Uni<ScoringModelView> version(@PathParam("id") UUID id, @PathParam("version") int version) {
        return service.version(id, version).map(ScoringModelView::of);
    }

    private static Response transition(ModelService.Transition t) {
        return Response.accepted(new TransitionView(ScoringModelView.of(t.model()),
                t.job() == null ? null : JobResource.JobView.of(t.job()))).build();
    }

    private static JsonObject object(JsonNode body) {
        if (body == null || !body.isObject()) {
            throw ProblemException.badRequest("The body must be a scoring model object");
        }
        try {
            return new JsonObject(body.toString());
        } catch (DecodeException e) {
            // Vert.x decodes with the service's ObjectMapper, which refuses a string with a NUL character
            // (RejectNulCharacters; the tree the body was read into does not): the same 400 naming the field as any
            // other body with one
            if (e.getCause() instanceof JsonProcessingException unreadable) {
                throw ProblemException.unreadable(unreadable);
            }
            throw e;
        }
    }
}
