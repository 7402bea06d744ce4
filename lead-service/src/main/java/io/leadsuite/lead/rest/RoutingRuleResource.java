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
import io.leadsuite.lead.domain.RoutingRule;
import io.leadsuite.lead.service.routing.RoutingService;
import io.smallrye.mutiny.Uni;

/**
 * Routing rules (role {@code admin}): who gets a lead when it enters a stage.
 * <p>
 * Alike on purpose: the create/list/get/replace/delete methods have the same shape as {@link NurtureTriggerResource}'s, since
 * both are a {@code Definitions} kind; each operation carries its own path, OpenAPI id, summary and answers (the API
 * document and the generated clients are read from them), so each stays written out here; what they answer is
 * built by {@link DefinitionAnswers}.
 */
@Path("/routing-rules")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "Routing")
@RolesAllowed(Roles.ADMIN)
@Cancellable(false)
public class RoutingRuleResource {

    private final DefinitionAnswers<RoutingRule, RoutingService.RuleDefinition, RuleView> answers;

    @Inject
    RoutingRuleResource(RoutingService routing) {
        answers = new DefinitionAnswers<>(routing, "/routing-rules", RuleView::of);
    }

    @Schema(name = "RoutingRuleRequest", example = """
            {"name": "Hot Iberian solar leads to the Lisbon desk", "priority": 10, "enabled": true,
             "flowId": "marketing-lead", "stage": "TELEPROSPECTING_ACCEPTANCE", "topics": ["solar-panels"],
             "grades": ["A"], "countries": ["PT", "ES"], "minScore": 50, "maxScore": null,
             "team": "telesales-lisbon", "members": ["rita", "joao", "ines"]}""")
    public record RuleRequest(
            @Schema(description = "what the rule is for") String name,
            @Schema(description = "lower runs first; the first matching rule wins (default 100)") Integer priority,
            Boolean enabled,
            @Schema(description = "only leads of this flow; null: any") String flowId,
            @Schema(description = "on entering this stage; null: any stage") String stage,
            @Schema(description = "only these topics; null: any") List<String> topics,
            @Schema(description = "any of the lead's grades among these; null: any") List<String> grades,
            @Schema(description = "the contact's country among these (ISO alpha-2); null: any") List<String> countries,
            @Schema(description = "the lead's best score at least this") Integer minScore,
            @Schema(description = "the lead's best score at most this") Integer maxScore,
            @Schema(description = "the team the lead is assigned to") String team,
            @Schema(description = "owners in turn (round-robin); null or empty: team only") List<String> members) {

        RoutingService.RuleDefinition definition() {
            return new RoutingService.RuleDefinition(name, priority, enabled, flowId, stage, topics, grades, countries,
                    minScore, maxScore, team, members);
        }
    }

    @Schema(name = "RoutingRulePage")
    public record RulePage(List<RuleView> items, String next) {
    }

    @Schema(name = "RoutingRule")
    public record RuleView(UUID id, String name, int priority, boolean enabled, String flowId, String stage,
            List<String> topics, List<String> grades, List<String> countries, Integer minScore, Integer maxScore,
            String team, List<String> members, Instant createdAt, Instant updatedAt, long version) {
        static RuleView of(RoutingRule r) {
            return new RuleView(r.id, r.name, r.priority, r.enabled, r.flowId, r.stage, r.topicList(), r.gradeList(),
                    r.countryList(), r.minScore, r.maxScore, r.team, r.memberList(), r.createdAt, r.updatedAt,
                    r.version);
        }
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(operationId = "createRoutingRule", summary = "Create a routing rule", description = """
            Applied to every lead that enters a stage from now \
            on: the first enabled rule by priority whose conditions hold assigns the team and, if it lists \
            members, the next owner in turn. Recorded in the lead's history and published as lead.assigned.""")
    @APIResponse(responseCode = "201", description = "Created; Location names it", content = @Content(schema = @Schema(implementation = RuleView.class)))
    @APIResponse(responseCode = "422", description = "A field is invalid (problem+json naming it)")
    public Uni<Response> create(@NotNull RuleRequest request) {
        return answers.create(request.definition());
    }

    @GET
    @Operation(operationId = "listRoutingRules", summary = "All routing rules, in the order they are tried")
    @APIResponse(responseCode = "200", description = "Every rule (one page)", content = @Content(schema = @Schema(implementation = RulePage.class)))
    public Uni<RulePage> list() {
        return answers.list().map(items -> new RulePage(items, null));
    }

    @GET
    @Path("/{id}")
    @Operation(operationId = "getRoutingRule", summary = "One routing rule")
    @APIResponse(responseCode = "200", description = "The rule", content = @Content(schema = @Schema(implementation = RuleView.class)))
    @APIResponse(responseCode = "404", description = "No such rule")
    public Uni<RuleView> get(@PathParam("id") UUID id) {
        return answers.get(id);
    }

    @PUT
    @Path("/{id}")
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(operationId = "replaceRoutingRule", summary = "Replace a routing rule", description = "Leads already routed keep their assignment.")
    @APIResponse(responseCode = "200", description = "The rule as replaced", content = @Content(schema = @Schema(implementation = RuleView.class)))
    @APIResponse(responseCode = "404", description = "No such rule")
    @APIResponse(responseCode = "422", description = "A field is invalid")
    public Uni<RuleView> replace(@PathParam("id") UUID id, @NotNull RuleRequest request) {
        return answers.replace(id, request.definition());
    }

    @DELETE
    @Path("/{id}")
    @Operation(operationId = "deleteRoutingRule", summary = "Delete a routing rule")
    @APIResponse(responseCode = "204", description = "Deleted")
    @APIResponse(responseCode = "404", description = "No such rule")
    public Uni<Response> delete(@PathParam("id") UUID id) {
        return answers.delete(id);
    }
}
