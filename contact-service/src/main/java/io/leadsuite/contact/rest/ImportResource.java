package io.leadsuite.contact.rest;

import java.io.InputStream;
import java.net.URI;
import java.util.List;
import java.util.UUID;

import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.ExampleObject;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.parameters.RequestBody;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.jboss.resteasy.reactive.server.Cancellable;

import io.leadsuite.contact.repository.ImportJobRepository;
import io.leadsuite.contact.service.imports.ImportJobs;
import io.leadsuite.contracts.Roles;
import io.leadsuite.kit.problem.Problem;
import io.leadsuite.kit.problem.ProblemException;
import io.smallrye.common.annotation.Blocking;

/** Bulk CSV imports as background jobs (JDBC, on worker threads). */
@Path("/contacts/imports")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "Contact imports")
@Blocking
@Cancellable(false)
public class ImportResource {

    static final String CSV = "text/csv";
    static final String JOB_EXAMPLE = """
            {"jobId": "3c1f5a8e-0b7d-4c1e-9f0a-6d2b8e4c7a10", "state": "RUNNING", "total": 100000,
             "processed": 42000, "created": 41500, "updated": 380, "unchanged": 100, "failed": 20,
             "createdAt": "2026-11-23T12:00:00Z", "startedAt": "2026-11-23T12:00:01Z",
             "errors": [{"line": 17, "message": "email: must be a valid e-mail address"},
                        {"line": 230, "message": "expected 8 fields as in the header, found 7"}]}""";
    static final String NOT_FOUND = """
            {"type": "https://leadsuite.io/problems/not-found", "title": "Import job not found", "status": 404,
             "detail": "Import job 3c1f5a8e-0b7d-4c1e-9f0a-6d2b8e4c7a10 does not exist"}""";

    @Inject
    ImportJobs jobs;

    @Schema(name = "ImportAccepted")
    public record Accepted(UUID jobId) {
    }

    @Schema(name = "ImportJob", description = """
            processed = created + updated + unchanged + failed; a line counts from 1 \
            with the header as line 1 (a record with a quoted line break is reported at the line it starts on)""")
    public record JobView(UUID jobId,
            @Schema(enumeration = {
                    "QUEUED", "RUNNING", "DONE", "FAILED", "CANCELLED" }) String state,
            int total, int processed, int created, int updated,
            @Schema(description = "rows that matched a contact and changed nothing") int unchanged, int failed,
            @Schema(description = "why the job FAILED") String failure, java.time.Instant createdAt,
            java.time.Instant startedAt, java.time.Instant finishedAt, List<ImportJobRepository.LineError> errors){

        static JobView of(ImportJobRepository.Job j) {
            return new JobView(j.id(), j.state(), j.total(), j.processed(), j.created(), j.updated(), j.unchanged(),
                    j.failed(), j.failure(), j.createdAt(), j.startedAt(), j.finishedAt(), j.errors());
        }
    }

    @POST
    @Consumes({ CSV, MediaType.TEXT_PLAIN })
    @RolesAllowed({ Roles.MARKETING, Roles.ADMIN })
    @Operation(operationId = "importContacts", summary = "Import contacts from CSV", description = """
            UTF-8 (with or without BOM), RFC 4180 (quoted \
            fields with delimiters, doubled quotes and line breaks), a header row, columns in any order. \
            Columns are recognised by header, case-insensitively: email, first_name/firstName, \
            last_name/lastName, company, job_title/jobTitle, industry, country, phone; map=field:Header overrides \
            that (repeat it per field). The body is streamed into the job's storage; the rows are then processed \
            in the background with the same normalisation and events as the API (one contact.created or \
            contact.updated per contact changed; an existing contact, matched by e-mail, gets the non-empty \
            values of its row). Answers 202 with the job id; follow it at Location.""")
    @RequestBody(content = @Content(mediaType = CSV, examples = @ExampleObject(name = "csv", value = """
            Email,First Name,last_name,country,phone,company
            ana@example.com,Ana,Silva,Portugal,912 345 678,"Acme, Inc."
            bo@example.com,Bo,"Lee",SE,,"Multi
            line company"
            """)))
    @APIResponse(responseCode = "202", description = "Queued", content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = Accepted.class), examples = @ExampleObject(name = "queued", value = "{\"jobId\": \"3c1f5a8e-0b7d-4c1e-9f0a-6d2b8e4c7a10\"}")))
    @APIResponse(responseCode = "400", description = "The body is not UTF-8", content = @Content(mediaType = Problem.MEDIA_TYPE, examples = @ExampleObject(name = "encoding", value = "{\"type\": \"https://leadsuite.io/problems/bad-request\", \"title\": \"Bad request\", \"status\": 400, \"detail\": \"The CSV is not valid UTF-8\"}")))
    @APIResponse(responseCode = "422", description = "No header, no data rows, no e-mail column, or a mapping naming an unknown field or column", content = @Content(mediaType = Problem.MEDIA_TYPE, examples = @ExampleObject(name = "no email column", value = """
            {"type": "https://leadsuite.io/problems/unprocessable", "title": "The request cannot be processed",
             "status": 422, "detail": "The CSV header cannot be mapped to contact fields",
             "errors": [{"field": "header", "message": "no e-mail column: name one 'email' or map it with map=email:<header>"}]}""")))
    public Response upload(InputStream body,
            @Parameter(description = """
                    field:Header, repeatable; fields: email, firstName, lastName, phone, company, \
                    jobTitle, industry, country""", example = "email:E-Mail Address") @QueryParam("map") List<String> map,
            @Parameter(description = "Field delimiter: , (default), ; or tab", example = ";") @QueryParam("delimiter") @DefaultValue(",") String delimiter) {
        char sep = switch (delimiter) {
            case ",", ";", "|" -> delimiter.charAt(0);
            case "\t", "tab", "TAB" -> '\t';
            default -> throw ProblemException.unprocessable("Unsupported delimiter",
                    List.of(new Problem.FieldError("delimiter", "one of , ; | tab")));
        };
        UUID id = jobs.upload(body, map, sep);
        return Response.accepted(new Accepted(id)).location(URI.create("/contacts/imports/" + id)).build();
    }

    @GET
    @Path("/{jobId}")
    @RolesAllowed({ Roles.MARKETING, Roles.ADMIN })
    @Operation(operationId = "getContactImport", summary = "An import's state and progress", description = """
            Counters advance chunk by chunk while it runs; \
            errors lists each failed line (field names and reasons, never the values), up to \
            leadsuite.contact.imports.max-reported-errors lines (all are counted in failed).""")
    @APIResponse(responseCode = "200", description = "The job", content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = JobView.class), examples = @ExampleObject(name = "running", value = JOB_EXAMPLE)))
    @APIResponse(responseCode = "404", description = "No such job", content = @Content(mediaType = Problem.MEDIA_TYPE, examples = @ExampleObject(name = "not found", value = NOT_FOUND)))
    public JobView get(@PathParam("jobId") UUID jobId) {
        return JobView.of(jobs.find(jobId));
    }

    @POST
    @Path("/{jobId}/cancel")
    @RolesAllowed({ Roles.MARKETING, Roles.ADMIN })
    @Operation(operationId = "cancelContactImport", summary = "Cancel an import", description = """
            No further chunk starts; what was committed stays (see the \
            counters); the remaining rows are discarded. Cancelling a cancelled import answers the same.""")
    @APIResponse(responseCode = "200", description = "The cancelled job", content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = JobView.class), examples = @ExampleObject(name = "cancelled", value = """
            {"jobId": "3c1f5a8e-0b7d-4c1e-9f0a-6d2b8e4c7a10", "state": "CANCELLED", "total": 100000,
             "processed": 5000, "created": 5000, "updated": 0, "unchanged": 0, "failed": 0, "errors": []}""")))
    @APIResponse(responseCode = "404", description = "No such job", content = @Content(mediaType = Problem.MEDIA_TYPE, examples = @ExampleObject(name = "not found", value = NOT_FOUND)))
    @APIResponse(responseCode = "409", description = "The import already ended (DONE or FAILED)", content = @Content(mediaType = Problem.MEDIA_TYPE, examples = @ExampleObject(name = "ended", value = "{\"type\": \"https://leadsuite.io/problems/conflict\", \"title\": \"Conflict\", \"status\": 409, \"detail\": \"The import already ended: DONE\", \"state\": \"DONE\"}")))
    public JobView cancel(@PathParam("jobId") UUID jobId) {
        return JobView.of(jobs.cancel(jobId));
    }

    @DELETE
    @Path("/{jobId}")
    @RolesAllowed({ Roles.MARKETING, Roles.ADMIN })
    @Operation(operationId = "deleteContactImport", summary = "Cancel an import (same as POST .../cancel)")
    @APIResponse(responseCode = "200", description = "The cancelled job", content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = JobView.class), examples = @ExampleObject(name = "cancelled", value = "{\"jobId\": \"3c1f5a8e-0b7d-4c1e-9f0a-6d2b8e4c7a10\", \"state\": \"CANCELLED\", \"total\": 10, \"processed\": 0, \"created\": 0, \"updated\": 0, \"unchanged\": 0, \"failed\": 0, \"errors\": []}")))
    @APIResponse(responseCode = "404", description = "No such job", content = @Content(mediaType = Problem.MEDIA_TYPE, examples = @ExampleObject(name = "not found", value = NOT_FOUND)))
    @APIResponse(responseCode = "409", description = "The import already ended", content = @Content(mediaType = Problem.MEDIA_TYPE, examples = @ExampleObject(name = "ended", value = "{\"type\": \"https://leadsuite.io/problems/conflict\", \"title\": \"Conflict\", \"status\": 409, \"detail\": \"The import already ended: DONE\", \"state\": \"DONE\"}")))
    public JobView delete(@PathParam("jobId") UUID jobId) {
        return cancel(jobId);
    }
}
