package io.leadsuite.lead.rest;

import java.net.URI;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.SecurityContext;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.ExampleObject;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.parameters.RequestBody;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.jboss.resteasy.reactive.RestResponse;
import org.jboss.resteasy.reactive.server.Cancellable;

import io.leadsuite.contracts.Roles;
import io.leadsuite.kit.problem.Problem;
import io.leadsuite.kit.problem.ProblemException;
import io.leadsuite.lead.repository.LeadImportJobRepository.Job;
import io.leadsuite.lead.repository.LeadImportJobRepository.LineError;
import io.leadsuite.lead.service.imports.LeadImports;
import io.smallrye.mutiny.Uni;

/** Lead imports from CSV, processed in the background (CONTRACT.md, "Lead import"). */
@Path("/leads/imports")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "Lead imports")
@RolesAllowed({ Roles.MARKETING, Roles.ADMIN })
@Cancellable(false)
public class LeadImportResource {

    static final String CSV = "text/csv";
    // Alike on purpose: contact-service's ImportResource answers in the same form; each service documents its own job
    static final String JOB_EXAMPLE = """
            {"jobId": "7d2e4c1a-5b3f-4e8a-9c0d-1f2a3b4c5d6e", "state": "RUNNING", "total": 10000, "processed": 4200,
             "created": 3900, "updated": 0, "unchanged": 280, "failed": 20, "leadsCreated": 4150, "leadsTouched": 30,
             "createdAt": "2026-12-03T12:00:00Z", "startedAt": "2026-12-03T12:00:01Z",
             "errors": [{"line": 17, "message": "email: must be a valid e-mail address"},
                        {"line": 230, "message": "topic: must be given"}]}""";
    static final String NOT_FOUND = """
            {"type": "https://leadsuite.io/problems/not-found", "title": "Import job not found", "status": 404,
             "detail": "Import job 7d2e4c1a-5b3f-4e8a-9c0d-1f2a3b4c5d6e does not exist"}""";
    static final String ENDED = """
            {"type": "https://leadsuite.io/problems/conflict", "title": "Conflict", "status": 409,
             "detail": "The import already ended: DONE", "state": "DONE"}""";

    @Inject
    LeadImports imports;

    @Schema(name = "LeadImportAccepted")
    public record Accepted(UUID jobId) {
    }

    @Schema(name = "LeadImportJob", description = """
            processed = created + unchanged + failed (contacts: created, or \
            matched and left unchanged; a lead import never changes an existing contact, as a capture does not); \
            leadsCreated + leadsTouched = processed - failed; a line counts from 1 with the header as line 1""")
    public record JobView(UUID jobId,
            @Schema(enumeration = {
                    "QUEUED", "RUNNING", "DONE", "FAILED", "CANCELLED" }) String state,
            int total, int processed,
            @Schema(description = "contacts created") int created,
            @Schema(description = "always 0: a lead import does not update contacts (the contact import does)") int updated,
            @Schema(description = "existing contacts matched by e-mail") int unchanged, int failed,
            @Schema(description = "leads created") int leadsCreated,
            @Schema(description = "open leads of the contact and topic that the row touched, as a second capture does") int leadsTouched,
            @Schema(description = "why the job FAILED", nullable = true) String failure, Instant createdAt,
            Instant startedAt, Instant finishedAt, List<LineError> errors){

        static JobView of(Job j) {
            return new JobView(j.id(), j.state(), j.total(), j.processed(), j.created(), j.updated(), j.unchanged(),
                    j.failed(), j.leadsCreated(), j.leadsTouched(), j.failure(), j.createdAt(), j.startedAt(),
                    j.finishedAt(), j.errors());
        }
    }

    @POST
    @Consumes({ CSV, MediaType.TEXT_PLAIN })
    @Operation(operationId = "importLeads", summary = "Import leads from CSV", description = """
            UTF-8 (with or without BOM), RFC 4180, a header row, columns in any order, recognised \
            by header case-insensitively: the contact columns (email, first_name/firstName, last_name/lastName, \
            company, job_title/jobTitle, industry, country, phone) and topic, source (a lead source; IMPORT when \
            empty), source_ref/sourceRef, campaign (by id or name; one not in the list is added, or the line \
            refused when leadsuite.campaigns.unknown=REFUSE), consent (true/false, yes/no, 1/0; empty: not stated); \
            map=field:Header overrides that. Each row is a capture: its contact is matched by e-mail or created \
            (by contact-service, with the uploader's authority), its lead created in the default flow or the open \
            lead of that contact and topic touched, with the same events, so it is scored and routed like a \
            captured lead. A row without a valid e-mail or without a topic is refused with its line number; the \
            others go in. Answers 202 with the job id; follow it at Location.""")
    @RequestBody(content = @Content(mediaType = CSV, examples = @ExampleObject(name = "csv", value = """
            email,first_name,last_name,company,country,topic,source,source_ref,campaign,consent
            ana@example.com,Ana,Silva,Acme,PT,solar-panels,EVENT,expo-2026,spring-expo,yes
            bo@example.com,Bo,Lee,,SE,heat-pumps,,,,
            """)))
    @APIResponse(responseCode = "202", description = "Queued", content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = Accepted.class), examples = @ExampleObject(name = "queued", value = "{\"jobId\": \"7d2e4c1a-5b3f-4e8a-9c0d-1f2a3b4c5d6e\"}")))
    @APIResponse(responseCode = "400", description = "The body is not UTF-8")
    @APIResponse(responseCode = "422", description = "No header, no data rows, too many rows, no e-mail column, or a mapping naming an unknown field or column", content = @Content(mediaType = Problem.MEDIA_TYPE, examples = @ExampleObject(name = "no email column", value = """
            {"type": "https://leadsuite.io/problems/unprocessable", "title": "The request cannot be processed",
             "status": 422, "detail": "The CSV header cannot be mapped to contact and lead fields",
             "errors": [{"field": "header", "message": "no e-mail column: name one 'email' or map it with map=email:<header>"}]}""")))
    public Uni<RestResponse<Accepted>> upload(byte[] body,
            @Parameter(description = """
                    field:Header, repeatable; fields: email, firstName, lastName, phone, company, \
                    jobTitle, industry, country, topic, source, sourceRef, campaign, consent""", example = "topic:Product") @QueryParam("map") List<String> map,
            @Parameter(description = "Field delimiter: , (default), ; | or tab", example = ";") @QueryParam("delimiter") @DefaultValue(",") String delimiter,
            @HeaderParam(HttpHeaders.AUTHORIZATION) String authorization, SecurityContext security) {
        char sep = switch (delimiter) {
            case ",", ";", "|" -> delimiter.charAt(0);
            case "\t", "tab", "TAB" -> '\t';
            default -> throw ProblemException.unprocessable("Unsupported delimiter",
                    List.of(new Problem.FieldError("delimiter", "one of , ; | tab")));
        };
        if (body == null || body.length == 0) {
            throw ProblemException.unprocessable("The CSV is empty",
                    List.of(new Problem.FieldError("body", "a header row and at least one data row")));
        }
        return imports.upload(body, map, sep, authorization, security.getUserPrincipal().getName())
                .map(id -> RestResponse.ResponseBuilder.<Accepted> accepted()
                        .location(URI.create("/leads/imports/" + id)).entity(new Accepted(id)).build());
    }

    @GET
    @Path("/{jobId}")
    @Operation(operationId = "getLeadImport", summary = "A lead import's state and progress", description = """
            Counters advance chunk by chunk while it runs; errors lists each \
            failed line (field names and reasons, never the values), up to leadsuite.leads.imports.max-reported-errors \
            lines (all are counted in failed).""")
    @APIResponse(responseCode = "200", description = "The job", content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = JobView.class), examples = @ExampleObject(name = "running", value = JOB_EXAMPLE)))
    @APIResponse(responseCode = "404", description = "No such job", content = @Content(mediaType = Problem.MEDIA_TYPE, examples = @ExampleObject(name = "not found", value = NOT_FOUND)))
    public Uni<JobView> get(@PathParam("jobId") UUID jobId) {
        return imports.find(jobId).map(JobView::of);
    }

    @POST
    @Path("/{jobId}/cancel")
    @Operation(operationId = "cancelLeadImport", summary = "Cancel a lead import", description = """
            No further chunk starts; what was committed stays (see the counters). \
            Cancelling a cancelled import answers the same.""")
    @APIResponse(responseCode = "200", description = "The cancelled job", content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = JobView.class), examples = @ExampleObject(name = "running", value = JOB_EXAMPLE)))
    @APIResponse(responseCode = "404", description = "No such job", content = @Content(mediaType = Problem.MEDIA_TYPE, examples = @ExampleObject(name = "not found", value = NOT_FOUND)))
    @APIResponse(responseCode = "409", description = "The import already ended (DONE or FAILED)", content = @Content(mediaType = Problem.MEDIA_TYPE, examples = @ExampleObject(name = "ended", value = ENDED)))
    public Uni<JobView> cancel(@PathParam("jobId") UUID jobId) {
        return imports.cancel(jobId).map(JobView::of);
    }

    @DELETE
    @Path("/{jobId}")
    @Operation(operationId = "deleteLeadImport", summary = "Cancel a lead import (same as POST .../cancel)")
    @APIResponse(responseCode = "200", description = "The cancelled job", content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = JobView.class), examples = @ExampleObject(name = "running", value = JOB_EXAMPLE)))
    @APIResponse(responseCode = "404", description = "No such job", content = @Content(mediaType = Problem.MEDIA_TYPE, examples = @ExampleObject(name = "not found", value = NOT_FOUND)))
    @APIResponse(responseCode = "409", description = "The import already ended", content = @Content(mediaType = Problem.MEDIA_TYPE, examples = @ExampleObject(name = "ended", value = ENDED)))
    public Uni<JobView> delete(@PathParam("jobId") UUID jobId) {
        return imports.cancel(jobId).map(JobView::of);
    }
}
