package io.leadsuite.lead.rest;

import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import jakarta.annotation.security.RolesAllowed;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.PATCH;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.SecurityContext;

import org.eclipse.microprofile.config.inject.ConfigProperty;
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

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.leadsuite.contracts.Roles;
import io.leadsuite.kit.domain.InvalidValues;
import io.leadsuite.kit.domain.NotFound;
import io.leadsuite.kit.problem.ProblemException;
import io.leadsuite.lead.client.ContactDirectory;
import io.leadsuite.lead.domain.Cause;
import io.leadsuite.lead.domain.Lead;
import io.leadsuite.lead.domain.LeadHistoryEntry;
import io.leadsuite.lead.domain.LeadPatch;
import io.leadsuite.lead.domain.LeadSource;
import io.leadsuite.lead.domain.LeadStatus;
import io.leadsuite.lead.repository.LeadRepository.LeadFilter;
import io.leadsuite.lead.repository.LeadRepository.LeadSort;
import io.leadsuite.lead.repository.LeadRepository.ListCursor;
import io.leadsuite.lead.repository.LeadRepository.Listed;
import io.leadsuite.lead.service.FunnelService;
import io.leadsuite.lead.service.LeadService;
import io.smallrye.mutiny.Uni;

@Path("/leads")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "Leads")
@RolesAllowed({ Roles.MARKETING, Roles.TELESALES, Roles.SALES, Roles.ADMIN, Roles.CRM })
@Cancellable(false)
public class LeadResource {

    static final String IF_MATCH = "The lead's `ETag` (or `version`) as last read; a stale one gives 412";
    static final String LEAD_EXAMPLE = """
            {"id": "5f0c7c1e-8a0e-4c38-9d8f-6a1f3c2b9e10", "contactId": "0b6d2a8e-3c1f-4d7a-9a55-2f1de3b7c901",
             "topic": "solar-panels", "source": "MARKETING_FORM", "sourceRef": "form-42", "flow": "marketing-lead",
             "flowVersion": 2, "stage": "TELEPROSPECTING_QUALIFICATION", "status": "OPEN", "salesReady": true,
             "salesReadyBy": "SCORE", "salesReadyAt": "2026-11-23T09:12:00Z",
             "scores": [{"modelId": "8d1b6f0e-0000-4000-8000-000000000001", "modelName": "Default engagement",
                         "score": 62, "grade": "B", "salesReadyThreshold": 50, "salesReady": true}],
             "team": "telesales", "owner": "joao.telesales", "acceptedBy": null,
             "qualification": {"budget": 15000, "currency": "EUR", "timeframe": "THIS_QUARTER",
                               "need": "Replace an oil boiler", "decisionMaker": true},
             "crm": {"leadId": null, "opportunityId": null}, "stageEnteredAt": "2026-11-23T10:02:00Z",
             "createdAt": "2026-11-20T14:00:00Z", "updatedAt": "2026-11-23T10:02:00Z", "version": 7}""";
    static final String HISTORY_EXAMPLE = """
            {"items": [
              {"id": 1, "at": "2026-11-20T14:00:00Z", "kind": "CREATED", "from": null, "to": "INQUIRY", "cause": "SYSTEM",
               "actor": "marketing-user", "reason": "Captured from MARKETING_FORM form-42", "secondsInStage": null},
              {"id": 2, "at": "2026-11-20T14:00:01Z", "kind": "STAGE_CHANGED", "from": "INQUIRY",
               "to": "AUTOMATED_MARKETING_QUALIFICATION", "cause": "SCORE", "actor": "scoring-service",
               "reason": "Scoring started", "secondsInStage": 1},
              {"id": 3, "at": "2026-11-23T09:12:00Z", "kind": "SALES_READY", "from": "AUTOMATED_MARKETING_QUALIFICATION",
               "to": "AUTOMATED_MARKETING_QUALIFICATION", "cause": "SCORE", "actor": "scoring-service",
               "reason": "Sales-ready threshold reached", "secondsInStage": null}],
             "next": "3"}""";
    static final String GUARD_EXAMPLE = """
            {"type": "https://leadsuite.io/problems/unprocessable", "title": "The request cannot be processed",
             "status": 422, "detail": "The transition from TELEPROSPECTING_QUALIFICATION to SALES_ACCEPTANCE needs [qualification.budget]",
             "errors": [{"field": "qualification.budget", "message": "must be filled before the lead moves to SALES_ACCEPTANCE"}]}""";

    private final LeadService leads;
    private final FunnelService funnel;
    private final ContactDirectory contacts;
    private final ObjectMapper mapper;
    private final String defaultFlow;

    public LeadResource(LeadService leads, FunnelService funnel, ContactDirectory contacts, ObjectMapper mapper,
            @ConfigProperty(name = "leadsuite.leads.default-flow") String defaultFlow) {
        this.leads = leads;
        this.funnel = funnel;
        this.contacts = contacts;
        this.mapper = mapper;
        this.defaultFlow = defaultFlow;
    }

    /** A page of leads; {@code next} is the cursor of the following page, or null at the end. */
    @Schema(name = "LeadPage")
    public record LeadPage(List<LeadView> items, String next) {
    }

    /** A page of a lead's history, oldest first. */
    @Schema(name = "LeadHistoryPage")
    public record HistoryPage(List<HistoryEntryView> items, String next) {
    }

    /** One line of a lead's history (CONTRACT.md: at, from, to, cause, actor, reason). */
    @Schema(name = "LeadHistoryEntry")
    public record HistoryEntryView(long id, java.time.Instant at,
            @Schema(implementation = LeadHistoryEntry.Kind.class) String kind, String from, String to,
            @Schema(description = "the flow of `to` (and of `from`, except for FLOW_SWITCHED)") String flow,
            @Schema(description = "for FLOW_SWITCHED: the flow of `from`", nullable = true) String fromFlow,
            @Schema(implementation = Cause.class) String cause,
            String actor, String reason,
            @Schema(description = "for a stage change: seconds the lead spent in the stage it left") Long secondsInStage) {
        static HistoryEntryView of(LeadHistoryEntry e) {
            return new HistoryEntryView(e.id, e.at, e.kind, e.fromStage, e.toStage, e.flowId, e.fromFlowId, e.cause,
                    e.actor, e.reason, e.secondsInStage);
        }
    }

    @GET
    @Operation(operationId = "listLeads", summary = "List leads (a work queue): filtered by contact, stage, status, sales-readiness, team, topic, owner, grade, score, source, campaign and dates; sorted by id, score, age or SLA due time", description = """
            `grade`, `minScore` and `maxScore` look at the lead's highest score over \
            its models (and that model's grade); `activeFrom`/`activeTo` at its last activity (`updatedAt`); the \
            date bounds are ISO-8601 instants, `from` inclusive, `to` exclusive. `sort`: `score` (lowest first), \
            `-score` (highest first), `createdAt` (oldest first: by age), `-createdAt`, `slaDue` (the stage SLA \
            due soonest first, overdue ones first of all, leads without one last); by id when absent. Pages by \
            cursor: pass `next` as `after` with the same filters and sort.""")
    @APIResponse(responseCode = "200", description = "A page of leads", content = @Content(schema = @Schema(implementation = LeadPage.class), examples = @ExampleObject(name = "page", value = "{\"items\": ["
            + LEAD_EXAMPLE + "], \"next\": null}")))
    @APIResponse(responseCode = "400", description = "A filter or sort that cannot be read (an unknown status, source or sort, a date that is not an instant, a score that is not a number, minScore above maxScore, a cursor this list did not give)")
    public Uni<LeadPage> list(@QueryParam("contactId") UUID contactId, @QueryParam("stage") String stage,
            @Parameter(description = "OPEN, ACCEPTED, CONVERTED, WON, LOST or DISQUALIFIED") @QueryParam("status") String status,
            @QueryParam("salesReady") Boolean salesReady, @QueryParam("team") String team,
            @QueryParam("topic") String topic, @QueryParam("owner") String owner,
            @Parameter(description = "the grade of the lead's highest score, e.g. A") @QueryParam("grade") String grade,
            @Parameter(description = "lowest highest-score, inclusive", schema = @Schema(type = org.eclipse.microprofile.openapi.annotations.enums.SchemaType.INTEGER)) @QueryParam("minScore") String minScore,
            @Parameter(description = "highest highest-score, inclusive", schema = @Schema(type = org.eclipse.microprofile.openapi.annotations.enums.SchemaType.INTEGER)) @QueryParam("maxScore") String maxScore,
            @Parameter(description = "a lead source, e.g. MARKETING_FORM, IMPORT") @QueryParam("source") String source,
            @Parameter(description = "the campaign the leads came from, by id or name (any case)") @QueryParam("campaign") String campaign,
            @Parameter(description = "created at or after (ISO-8601 instant)") @QueryParam("createdFrom") String createdFrom,
            @Parameter(description = "created before (ISO-8601 instant)") @QueryParam("createdTo") String createdTo,
            @Parameter(description = "last activity at or after (ISO-8601 instant)") @QueryParam("activeFrom") String activeFrom,
            @Parameter(description = "last activity before (ISO-8601 instant)") @QueryParam("activeTo") String activeTo,
            @Parameter(description = "score, -score, createdAt, -createdAt or slaDue", schema = @Schema(enumeration = {
                    "score", "-score", "createdAt", "-createdAt", "slaDue" })) @QueryParam("sort") String sort,
            @QueryParam("after") String after,
            @QueryParam("limit") @DefaultValue("50") @Min(1) @Max(200) int limit) {
        LeadStatus parsedStatus = null;
        if (status != null) {
            try {
                parsedStatus = LeadStatus.valueOf(status);
            } catch (IllegalArgumentException e) {
                throw ProblemException.badRequest("'status' must be one of " + List.of(LeadStatus.values()));
            }
        }
        if (source != null) {
            try {
                LeadSource.valueOf(source);
            } catch (IllegalArgumentException e) {
                throw ProblemException.badRequest("'source' must be one of "
                        + List.of(LeadSource.values()));
            }
        }
        Integer min = integer("minScore", minScore);
        Integer max = integer("maxScore", maxScore);
        if (min != null && max != null && min > max) {
            throw ProblemException.badRequest("'minScore' must not be above 'maxScore'");
        }
        LeadSort order = sort(sort);
        LeadFilter filter = new LeadFilter(contactId, stage, parsedStatus, salesReady, team,
                topic, owner, grade, min, max, source, campaign, optionalInstant("createdFrom", createdFrom),
                optionalInstant("createdTo", createdTo), optionalInstant("activeFrom", activeFrom),
                optionalInstant("activeTo", activeTo));
        return leads.list(filter, order, ListCursors.parse(after, order), limit + 1).map(found -> {
            List<Listed> page = found.stream().limit(limit).toList();
            List<LeadView> items = page.stream().map(l -> LeadView.of(l.lead())).toList();
            return new LeadPage(items, found.size() > limit ? ListCursors.of(page.get(page.size() - 1), order) : null);
        });
    }

    private static Integer integer(String name, String value) {
        if (value == null || value.isBlank()) {
            return null;
        }
        try {
            return Integer.valueOf(value.strip());
        } catch (NumberFormatException e) {
            throw ProblemException.badRequest("'" + name + "' must be a whole number");
        }
    }

    private static Instant optionalInstant(String name, String value) {
        return value == null || value.isBlank() ? null : instant(name, value);
    }

    private static LeadSort sort(String sort) {
        if (sort == null || sort.isBlank()) {
            return LeadSort.ID;
        }
        return switch (sort.strip()) {
            case "score" -> LeadSort.SCORE;
            case "-score" -> LeadSort.SCORE_DESC;
            case "createdAt" -> LeadSort.CREATED;
            case "-createdAt" -> LeadSort.CREATED_DESC;
            case "slaDue" -> LeadSort.SLA_DUE;
            default -> throw ProblemException.badRequest("'sort' must be one of score, -score, createdAt, -createdAt, slaDue");
        };
    }

    /** The list's cursors: the last id when sorted by id (as before sorts existed), else its sort key and id. */
    static final class ListCursors {
        static String of(Listed last, LeadSort sort) {
            if (sort == LeadSort.ID) {
                return last.lead().id.toString();
            }
            String raw = last.key() + "|" + last.lead().id;
            return java.util.Base64.getUrlEncoder().withoutPadding()
                    .encodeToString(raw.getBytes(java.nio.charset.StandardCharsets.UTF_8));
        }

        static ListCursor parse(String after, LeadSort sort) {
            if (after == null) {
                return null;
            }
            if (sort == LeadSort.ID) {
                return new ListCursor(null, parseUuidCursor(after));
            }
            try {
                String[] parts = new String(java.util.Base64.getUrlDecoder().decode(after),
                        java.nio.charset.StandardCharsets.UTF_8).split("\\|");
                return new ListCursor(Long.parseLong(parts[0]), UUID.fromString(parts[1]));
            } catch (RuntimeException e) {
                throw ProblemException.badRequest("'after' is not a cursor this list returned (with this sort)");
            }
        }
    }

    @GET
    @Path("/{id}")
    @Operation(operationId = "getLead", summary = "Read a lead", description = "The `ETag` header (and `version`) is what `If-Match` takes on changes.")
    @APIResponse(responseCode = "404", description = "No such lead")
    public Uni<RestResponse<LeadView>> get(@PathParam("id") UUID id) {
        return leads.get(id).map(LeadResource::withEtag);
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @RolesAllowed({ Roles.MARKETING, Roles.TELESALES, Roles.SALES, Roles.ADMIN })
    @Operation(operationId = "createLead", summary = "Create a lead for an existing contact", description = "In the first stage of the given flow (newest version) or the default flow.")
    @APIResponse(responseCode = "201", description = "Created", content = @Content(schema = @Schema(implementation = LeadView.class), examples = @ExampleObject(name = "lead", value = LEAD_EXAMPLE)))
    @APIResponse(responseCode = "409", description = "The contact already has an open lead on this topic (`existingId`)")
    @APIResponse(responseCode = "422", description = "Invalid fields, unknown contact or unknown flow")
    public Uni<RestResponse<LeadView>> create(@NotNull @Valid LeadRequests.NewLeadRequest request,
            SecurityContext security) {
        return contacts.get(request.contactId())
                .onFailure(NotFound.class)
                .transform(f -> InvalidValues.of("Unknown contact " + request.contactId(), "contactId",
                        "no such contact"))
                .onFailure().transform(ContactDirectory::unavailable)
                .chain(contact -> leads.create(new LeadService.NewLead(request.contactId(), request.topic(),
                        request.source().name(), request.sourceRef(), request.flow()), actor(security).name()))
                .map(lead -> RestResponse.ResponseBuilder.<LeadView> created(URI.create("/leads/" + lead.id))
                        .entity(LeadView.of(lead)).header(HttpHeaders.ETAG, etag(lead)).build());
    }

    @POST
    @Path("/{id}/transitions")
    @Consumes(MediaType.APPLICATION_JSON)
    @RolesAllowed({ Roles.MARKETING, Roles.TELESALES, Roles.SALES, Roles.ADMIN })
    @Operation(operationId = "transitionLead", summary = "Move a lead to another stage of its flow", description = """
            Only along a transition of the flow version the lead started in, by a team that \
            transition allows (admins may make any), with its guards met. Recorded in the history as MANUAL with \
            the caller and reason; concurrent changes to one lead are applied one after the other.""")
    @APIResponse(responseCode = "200", description = "Moved; the lead", content = @Content(schema = @Schema(implementation = LeadView.class), examples = @ExampleObject(name = "lead", value = LEAD_EXAMPLE)))
    @APIResponse(responseCode = "403", description = "None of the caller's teams may make this transition")
    @APIResponse(responseCode = "409", description = "The flow has no such transition from the lead's stage, or the lead is closed")
    @APIResponse(responseCode = "422", description = "Guards not met: `errors` names each field (or `salesReady`) required", content = @Content(mediaType = "application/problem+json", examples = @ExampleObject(name = "guards", value = GUARD_EXAMPLE)))
    public Uni<RestResponse<LeadView>> transition(@PathParam("id") UUID id,
            @NotNull @Valid LeadRequests.TransitionRequest request,
            @Parameter(description = IF_MATCH) @HeaderParam(HttpHeaders.IF_MATCH) String ifMatch,
            SecurityContext security) {
        return leads.transition(id, ifMatch(ifMatch), request.to(), request.reason(), actor(security))
                .map(LeadResource::withEtag);
    }

    @POST
    @Path("/{id}/sales-ready")
    @Consumes(MediaType.APPLICATION_JSON)
    @RolesAllowed({ Roles.TELESALES, Roles.ADMIN })
    @Operation(operationId = "markLeadSalesReady", summary = "Flag a lead sales-ready by hand (telesales)", description = """
            Recorded as MANUAL (`salesReadyBy`); the flow's sales-ready automation applies. \
            Already sales-ready: 200, nothing changes.""")
    @APIResponse(responseCode = "409", description = "The lead is not open, or already accepted")
    public Uni<RestResponse<LeadView>> salesReady(@PathParam("id") UUID id, @Valid LeadRequests.ReasonRequest request,
            @Parameter(description = IF_MATCH) @HeaderParam(HttpHeaders.IF_MATCH) String ifMatch, SecurityContext security) {
        return reasoned(leads::markSalesReady, id, request == null ? null : request.reason(), ifMatch, security);
    }

    @POST
    @Path("/{id}/accept")
    @Consumes(MediaType.APPLICATION_JSON)
    @RolesAllowed({ Roles.SALES, Roles.ADMIN })
    @Operation(operationId = "acceptLead", summary = "Accept a sales-ready lead (sales acceptance)", description = """
            Status ACCEPTED; the lead enters its flow's sales-acceptance stage (SALES_ACCEPTANCE in \
            marketing-lead) and, when the flow names a sales flow, switches to it (`sales-lead`: QUALIFY, DEVELOP, \
            PROPOSE, CLOSE), keeping its history. The history names who accepted it (MANUAL, the caller). The \
            owner becomes the one given, else the caller. The same user accepting again changes nothing. The CRM \
            does the same with POST /crm/leads/{id}/accept. Publishes lead.accepted and lead.stage-changed.""")
    @APIResponse(responseCode = "200", description = "Accepted; the lead, now in the sales flow", content = @Content(schema = @Schema(implementation = LeadView.class), examples = @ExampleObject(name = "lead", value = LEAD_EXAMPLE)))
    @APIResponse(responseCode = "404", description = "No such lead")
    @APIResponse(responseCode = "409", description = "The lead is not sales-ready, not open, or was accepted by someone else")
    @APIResponse(responseCode = "422", description = "Invalid fields, each named in `errors`")
    public Uni<RestResponse<LeadView>> accept(@PathParam("id") UUID id, @Valid LeadRequests.SalesAcceptRequest request,
            @Parameter(description = IF_MATCH) @HeaderParam(HttpHeaders.IF_MATCH) String ifMatch, SecurityContext security) {
        return leads.accept(id, ifMatch(ifMatch), request == null ? null : request.owner(),
                request == null ? null : request.reason(), actor(security)).map(LeadResource::withEtag);
    }

    @POST
    @Path("/{id}/disqualify")
    @Consumes(MediaType.APPLICATION_JSON)
    @RolesAllowed({ Roles.MARKETING, Roles.TELESALES, Roles.SALES, Roles.ADMIN })
    @Operation(operationId = "disqualifyLead", summary = "Disqualify a lead, with a reason, from any stage it is in", description = "Status DISQUALIFIED; publishes lead.closed.")
    @APIResponse(responseCode = "409", description = "The lead is already closed")
    @APIResponse(responseCode = "422", description = "No reason given")
    public Uni<RestResponse<LeadView>> disqualify(@PathParam("id") UUID id,
            @NotNull @Valid LeadRequests.RequiredReasonRequest request,
            @Parameter(description = IF_MATCH) @HeaderParam(HttpHeaders.IF_MATCH) String ifMatch, SecurityContext security) {
        return reasoned(leads::disqualify, id, request.reason(), ifMatch, security);
    }

    // Alike on purpose: each lead command is an HTTP operation of its own (id, roles, answers); their call is reasoned()
    @POST
    @Path("/{id}/recycle")
    @Consumes(MediaType.APPLICATION_JSON)
    @RolesAllowed({ Roles.TELESALES, Roles.SALES, Roles.ADMIN })
    @Operation(operationId = "recycleLead", summary = "Send a lead back to nurturing", description = "To the flow's nurture stage, no longer sales-ready, open again if it was accepted.")
    @APIResponse(responseCode = "409", description = "The lead is closed, converted, or already being nurtured")
    public Uni<RestResponse<LeadView>> recycle(@PathParam("id") UUID id, @Valid LeadRequests.ReasonRequest request,
            @Parameter(description = IF_MATCH) @HeaderParam(HttpHeaders.IF_MATCH) String ifMatch, SecurityContext security) {
        return reasoned(leads::recycle, id, request == null ? null : request.reason(), ifMatch, security);
    }

    @POST
    @Path("/{id}/reopen")
    @Consumes(MediaType.APPLICATION_JSON)
    @RolesAllowed({ Roles.MARKETING, Roles.TELESALES, Roles.SALES, Roles.ADMIN })
    @Operation(operationId = "reopenLead", summary = "Reopen a disqualified or lost lead", description = "Open again, in the flow's nurture stage.")
    @APIResponse(responseCode = "409", description = "The lead is not disqualified or lost, or the contact has another open lead on the topic")
    public Uni<RestResponse<LeadView>> reopen(@PathParam("id") UUID id, @Valid LeadRequests.ReasonRequest request,
            @Parameter(description = IF_MATCH) @HeaderParam(HttpHeaders.IF_MATCH) String ifMatch, SecurityContext security) {
        return reasoned(leads::reopen, id, request == null ? null : request.reason(), ifMatch, security);
    }

    @PATCH
    @Path("/{id}")
    @Consumes({ "application/merge-patch+json", MediaType.APPLICATION_JSON })
    @RolesAllowed({ Roles.MARKETING, Roles.TELESALES, Roles.SALES, Roles.ADMIN })
    @Operation(operationId = "updateLead", summary = "Change qualification, topic or owner (JSON merge patch)", description = """
            Members left out stay as they are; null clears one. `currency` is ISO 4217 and is \
            required with a budget; `timeframe` is one of IMMEDIATE, THIS_QUARTER, NEXT_QUARTER, THIS_YEAR, \
            NEXT_YEAR, LATER. Recorded in the history and published as lead.updated; a patch that changes \
            nothing records nothing.""")
    @RequestBody(content = @Content(schema = @Schema(implementation = LeadRequests.PatchDoc.class), examples = @ExampleObject(name = "qualification", value = """
            {"qualification": {"budget": 15000, "currency": "EUR", "timeframe": "THIS_QUARTER",
             "need": "Replace an oil boiler", "decisionMaker": true}, "owner": "joao.telesales"}""")))
    @APIResponse(responseCode = "409", description = "The lead is closed, or another open lead of the contact has that topic")
    @APIResponse(responseCode = "422", description = "Invalid members, each named in `errors`")
    public Uni<RestResponse<LeadView>> patch(@PathParam("id") UUID id, String body,
            @Parameter(description = IF_MATCH) @HeaderParam(HttpHeaders.IF_MATCH) String ifMatch, SecurityContext security)
            throws JsonProcessingException {
        if (body == null || body.isBlank()) {
            throw ProblemException.badRequest("A merge patch body is required");
        }
        LeadPatch patch = LeadPatch.parse(mapper.readTree(body));
        return leads.update(id, ifMatch(ifMatch), patch, actor(security)).map(LeadResource::withEtag);
    }

    @GET
    @Path("/funnel")
    @RolesAllowed({ Roles.MARKETING, Roles.TELESALES, Roles.SALES, Roles.ADMIN })
    @Operation(operationId = "getFunnel", summary = "Funnel analytics of one flow over a period", description = """
            Per stage: leads that entered it in [from, to), that left it, that are in it now, and \
            the median hours in it of those that left; per pair of stages: moves and the conversion rate (moves \
            over leads that entered the first stage). Defaults: the default flow, the last 30 days.""")
    @APIResponse(responseCode = "200", description = "The funnel", content = @Content(schema = @Schema(implementation = FunnelService.Funnel.class), examples = @ExampleObject(name = "funnel", value = """
            {"flow": "marketing-lead", "from": "2026-10-24T00:00:00Z", "to": "2026-11-23T00:00:00Z",
             "stages": [{"stage": "INQUIRY", "name": "Inquiry", "entered": 120, "left": 110, "current": 10, "medianHoursInStage": 0.5}],
             "conversions": [{"from": "INQUIRY", "to": "AUTOMATED_MARKETING_QUALIFICATION", "count": 104, "rate": 0.8667}]}""")))
    @APIResponse(responseCode = "400", description = "`from` or `to` is not an ISO-8601 instant, or `from` is not before `to`")
    @APIResponse(responseCode = "404", description = "No such flow")
    public Uni<FunnelService.Funnel> funnel(@QueryParam("from") String from, @QueryParam("to") String to,
            @QueryParam("flow") String flow) {
        Instant end = to == null ? Instant.now() : instant("to", to);
        Instant start = from == null ? end.minus(Duration.ofDays(30)) : instant("from", from);
        if (!start.isBefore(end)) {
            throw ProblemException.badRequest("'from' must be before 'to'");
        }
        return funnel.funnel(flow == null ? defaultFlow : flow, start, end);
    }

    static Instant instant(String name, String value) {
        try {
            return Instant.parse(value);
        } catch (DateTimeParseException e) {
            throw ProblemException.badRequest("'" + name + "' must be an ISO-8601 instant, e.g. 2026-11-01T00:00:00Z");
        }
    }

    static LeadService.Actor actor(SecurityContext security) {
        Set<String> roles = new HashSet<>();
        for (String role : Roles.ALL) {
            if (security.isUserInRole(role)) {
                roles.add(role);
            }
        }
        return new LeadService.Actor(security.getUserPrincipal().getName(), roles);
    }

    static String etag(Lead lead) {
        return "\"" + lead.version + "\"";
    }

    static RestResponse<LeadView> withEtag(Lead lead) {
        return RestResponse.ResponseBuilder.ok(LeadView.of(lead)).header(HttpHeaders.ETAG, etag(lead)).build();
    }

    /** A lead command that takes nothing but a reason: sales-ready, disqualify, recycle, reopen. */
    @FunctionalInterface
    interface ReasonedCommand {
        Uni<Lead> apply(UUID id, Long ifMatch, String reason, LeadService.Actor actor);
    }

    /** Runs the command on the version If-Match names, as the caller; the lead it leaves, with its ETag. */
    private static Uni<RestResponse<LeadView>> reasoned(ReasonedCommand command, UUID id, String reason,
            String ifMatch, SecurityContext security) {
        return command.apply(id, ifMatch(ifMatch), reason, actor(security)).map(LeadResource::withEtag);
    }

    /** An ETag this service gives ({@code "3"}), weak or not, quoted or not: the version is the number in it. */
    private static final Pattern VERSION_TAG = Pattern.compile("(?:W/)?\"?(\\d{1,18})\"?");

    /** The version an If-Match header names ({@code "3"}, {@code W/"3"} or {@code 3}); null for none or {@code *}. */
    public static Long ifMatch(String header) {
        if (header == null || header.isBlank() || header.strip().equals("*")) {
            return null;
        }
        Matcher tag = VERSION_TAG.matcher(header.strip());
        if (!tag.matches()) {
            throw new ProblemException(412, "precondition-failed", "Precondition failed",
                    "If-Match '" + header + "' is not an ETag this service returned", null);
        }
        return Long.valueOf(tag.group(1));
    }

    @GET
    @Path("/{id}/history")
    @Operation(operationId = "getLeadHistory", summary = "A lead's history, oldest first", description = """
            Creation, captures, stage changes and sales-readiness, each with when, cause, actor and \
            reason. Pages by cursor: pass `next` as `after`.""")
    @APIResponse(responseCode = "200", description = "A page of history entries", content = @Content(schema = @Schema(implementation = HistoryPage.class), examples = @ExampleObject(name = "history", value = HISTORY_EXAMPLE)))
    @APIResponse(responseCode = "404", description = "No such lead")
    public Uni<HistoryPage> history(@PathParam("id") UUID id, @QueryParam("after") String after,
            @QueryParam("limit") @DefaultValue("50") @Min(1) @Max(200) int limit) {
        long afterEntry = 0;
        if (after != null) {
            try {
                afterEntry = Long.parseLong(after);
            } catch (NumberFormatException e) {
                throw ProblemException.badRequest("'after' is not a cursor this list returned");
            }
        }
        return leads.history(id, afterEntry, limit + 1).map(found -> {
            List<HistoryEntryView> items = found.stream().limit(limit).map(HistoryEntryView::of).toList();
            return new HistoryPage(items, found.size() > limit ? String.valueOf(items.get(items.size() - 1).id()) : null);
        });
    }

    static UUID parseUuidCursor(String after) {
        if (after == null) {
            return null;
        }
        try {
            return UUID.fromString(after);
        } catch (IllegalArgumentException e) {
            throw ProblemException.badRequest("'after' is not a cursor this list returned");
        }
    }
}
