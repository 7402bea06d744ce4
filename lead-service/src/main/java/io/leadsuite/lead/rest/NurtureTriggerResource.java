package io.leadsuite.lead.rest;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.validation.constraints.NotNull;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
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
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.jboss.resteasy.reactive.server.Cancellable;

import io.leadsuite.contracts.Roles;
import io.leadsuite.lead.domain.NurtureTrigger;
import io.leadsuite.lead.domain.NurtureTriggerKind;
import io.leadsuite.lead.service.nurture.NurtureService;
import io.smallrye.mutiny.Uni;

/**
 * Nurture triggers (role {@code admin}): when to emit lead.nurture for a journey or e-mail system.
 * <p>
 * Alike on purpose: the create/list/get/replace/delete methods have the same shape as {@link RoutingRuleResource}'s, since
 * both are a {@code Definitions} kind; each operation carries its own path, OpenAPI id, summary and answers (the API
 * document and the generated clients are read from them), so each stays written out here; what they answer is
 * built by {@link DefinitionAnswers}.
 */
@Path("/nurture-triggers")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "Nurture triggers")
@RolesAllowed(Roles.ADMIN)
@Cancellable(false)
public class NurtureTriggerResource {

    private final DefinitionAnswers<NurtureTrigger, NurtureService.TriggerDefinition, TriggerView> answers;

    @Inject
    NurtureTriggerResource(NurtureService nurture) {
        answers = new DefinitionAnswers<>(nurture, "/nurture-triggers", TriggerView::of);
    }

    @Schema(name = "NurtureTriggerRequest", example = """
            {"name": "Warm solar leads get the case-study journey", "kind": "GRADE_REACHED", "grade": "B",
             "topics": ["solar-panels"], "enabled": true}""")
    public record TriggerRequest(
            String name,
            @Schema(description = "STAGE_ENTERED (needs stage), GRADE_REACHED (needs grade), NO_ACTIVITY (needs inactiveDays)") NurtureTriggerKind kind,
            Boolean enabled,
            String stage,
            String grade,
            Integer inactiveDays,
            @Schema(description = "only leads of these topics; null: all") List<String> topics) {
        NurtureService.TriggerDefinition definition() {
            return new NurtureService.TriggerDefinition(name, kind, enabled, stage, grade, inactiveDays, topics);
        }
    }

    @Schema(name = "NurtureTriggerPage")
    public record TriggerPage(List<TriggerView> items, String next) {
    }

    @Schema(name = "NurtureTrigger")
    public record TriggerView(UUID id, String name, @Schema(implementation = NurtureTriggerKind.class) String kind,
            boolean enabled, String stage, String grade,
            Integer inactiveDays, List<String> topics, Instant createdAt, Instant updatedAt) {
        static TriggerView of(NurtureTrigger t) {
            return new TriggerView(t.id, t.name, t.kind, t.enabled, t.stage, t.grade, t.inactiveDays,
                    t.topics == null ? null : t.topicList(), t.createdAt, t.updatedAt);
        }
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(operationId = "createNurtureTrigger", summary = "Create a nurture trigger", description = """
            Each occurrence (a lead entering the stage, \
            entering the grade band, or staying unchanged for inactiveDays) emits one lead.nurture event \
            {leadId, contactId, topic, triggerId, triggerName, kind, detail} on lead-events.""")
    @APIResponse(responseCode = "201", description = "Created; Location names it", content = @Content(schema = @Schema(implementation = TriggerView.class)))
    @APIResponse(responseCode = "422", description = "A field is invalid (problem+json naming it)")
    public Uni<Response> create(@NotNull TriggerRequest request) {
        return answers.create(request.definition());
    }

    @GET
    @Operation(operationId = "listNurtureTriggers", summary = "All nurture triggers")
    @APIResponse(responseCode = "200", description = "Every trigger (one page)", content = @Content(schema = @Schema(implementation = TriggerPage.class)))
    public Uni<TriggerPage> list() {
        return answers.list().map(items -> new TriggerPage(items, null));
    }

    @GET
    @Path("/{id}")
    @Operation(operationId = "getNurtureTrigger", summary = "One nurture trigger")
    @APIResponse(responseCode = "200", description = "The trigger", content = @Content(schema = @Schema(implementation = TriggerView.class)))
    @APIResponse(responseCode = "404", description = "No such trigger")
    public Uni<TriggerView> get(@PathParam("id") UUID id) {
        return answers.get(id);
    }

    @PUT
    @Path("/{id}")
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(operationId = "replaceNurtureTrigger", summary = "Replace a nurture trigger")
    @APIResponse(responseCode = "200", description = "The trigger as replaced", content = @Content(schema = @Schema(implementation = TriggerView.class)))
    @APIResponse(responseCode = "404", description = "No such trigger")
    @APIResponse(responseCode = "422", description = "A field is invalid")
    public Uni<TriggerView> replace(@PathParam("id") UUID id, @NotNull TriggerRequest request) {
        return answers.replace(id, request.definition());
    }

    @DELETE
    @Path("/{id}")
    @Operation(operationId = "deleteNurtureTrigger", summary = "Delete a nurture trigger")
    @APIResponse(responseCode = "204", description = "Deleted")
    @APIResponse(responseCode = "404", description = "No such trigger")
    public Uni<Response> delete(@PathParam("id") UUID id) {
        return answers.delete(id);
    }
}
