package io.leadsuite.scoring.rest;

import java.time.Instant;
import java.util.UUID;

import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
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
import io.leadsuite.scoring.domain.RescoreJob;
import io.leadsuite.scoring.service.RescoreJobs;
import io.smallrye.mutiny.Uni;

@Path("/scoring/jobs")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "Scoring models")
@Cancellable(false)
public class JobResource {

    @Inject
    RescoreJobs jobs;

    /**
     * A re-scoring job's progress: {@code total} leads to visit (known once RUNNING), {@code done}, {@code failed},
     * {@code changed} (leads whose published score changed); {@code state} QUEUED, RUNNING, DONE or FAILED (some leads
     * failed).
     */
    @Schema(name = "ScoringJob")
    public record JobView(UUID id, UUID modelId, int modelVersion,
            @Schema(enumeration = {
                    "PUBLISH", "RETIRE" }) String kind,
            @Schema(enumeration = { "QUEUED", "RUNNING", "DONE", "FAILED" }) String state, int total, int done,
            int failed, int changed, String error, Instant createdAt, Instant startedAt, Instant finishedAt){

        static JobView of(RescoreJob j) {
            return new JobView(j.id, j.modelId, j.modelVersion, j.kind.name(), j.state.name(), j.total, j.done, j.failed,
                    j.changed,
                    j.error, j.createdAt, j.startedAt, j.finishedAt);
        }
    }

    @GET
    @Path("/{id}")
    @RolesAllowed({ Roles.MARKETING, Roles.ADMIN })
    @Operation(operationId = "getScoringJob", summary = "Progress of a re-scoring job", description = "Queued by publishing or retiring a model.")
    @APIResponse(responseCode = "200", description = "The job", content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = JobView.class), examples = @ExampleObject(name = "running", value = """
            {"id": "0b8e7f6a-5d4c-4b3a-9e2f-1c0d9b8a7e6f", "modelId": "7d2f0c4e-1b5a-4c9e-8f3d-2a6b9c0d1e2f",
             "modelVersion": 2, "kind": "PUBLISH", "state": "RUNNING", "total": 1000, "done": 400, "failed": 0,
             "changed": 212, "error": null, "createdAt": "2026-03-02T08:00:00Z",
             "startedAt": "2026-03-02T08:00:01Z", "finishedAt": null}""")))
    @APIResponse(responseCode = "404", description = "No such job")
    public Uni<JobView> get(@PathParam("id") UUID id) {
        return jobs.get(id).map(JobView::of);
    }
}
