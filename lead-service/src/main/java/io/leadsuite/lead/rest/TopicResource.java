package io.leadsuite.lead.rest;

import java.util.List;

import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.ExampleObject;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.jboss.resteasy.reactive.server.Cancellable;

import io.leadsuite.contracts.Roles;
import io.leadsuite.lead.repository.TopicRepository.Topic;
import io.leadsuite.lead.service.topic.Topics;
import io.smallrye.mutiny.Uni;

/** The managed list of topics (CONTRACT.md, "Topics"). */
// Alike on purpose: head and list operation in the form of CampaignResource's; each documents its own list
@Path("/topics")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "Topics")
@Cancellable(false)
public class TopicResource {

    static final String TOPIC_EXAMPLE = """
            {"id": "solar-panels", "name": "Solar panels", "createdAt": "2026-11-20T14:00:00Z",
             "updatedAt": "2026-12-03T10:00:00Z"}""";

    @Inject
    Topics topics;

    @Schema(name = "TopicRequest", example = "{\"name\": \"Solar panels\"}")
    public record TopicRequest(@NotBlank @Size(max = 200) String name) {
    }

    @Schema(name = "TopicList")
    public record TopicList(List<Topic> items) {
    }

    @GET
    @RolesAllowed({ Roles.MARKETING, Roles.TELESALES, Roles.SALES, Roles.ADMIN, Roles.CRM })
    @Operation(operationId = "listTopics", summary = "The topics (products or services of interest), by id", description = """
            A lead's `topic` is one of these ids. A capture, a new lead or an import row may \
            name a topic in any spelling: its id is the slug of it ("Solar panels" and "solar_panels" are \
            "solar-panels"). A topic not in the list is added (leadsuite.topics.unknown=REGISTER, the default) or \
            refused with a 422 (REFUSE).""")
    @APIResponse(responseCode = "200", description = "Every topic", content = @Content(schema = @Schema(implementation = TopicList.class), examples = @ExampleObject(name = "topics", value = "{\"items\": ["
            + TOPIC_EXAMPLE + "]}")))
    public Uni<TopicList> list() {
        return topics.list().map(TopicList::new);
    }

    @PUT
    @Path("/{id}")
    @Consumes(MediaType.APPLICATION_JSON)
    @RolesAllowed(Roles.ADMIN)
    @Operation(operationId = "putTopic", summary = "Add a topic or give it another display name (admin)")
    @APIResponse(responseCode = "200", description = "The topic", content = @Content(schema = @Schema(implementation = Topic.class), examples = @ExampleObject(name = "topic", value = TOPIC_EXAMPLE)))
    @APIResponse(responseCode = "422", description = "The id is not a slug (lower-case words joined by dashes), or no name")
    public Uni<Topic> put(@PathParam("id") String id, @NotNull @Valid TopicRequest request) {
        return topics.put(id, request.name());
    }
}
