package io.leadsuite.lead.rest;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.ExampleObject;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.jboss.resteasy.reactive.server.Cancellable;

import io.leadsuite.contracts.Roles;
import io.leadsuite.kit.csv.CsvWriter;
import io.leadsuite.kit.problem.ProblemException;
import io.leadsuite.lead.service.ClosedLoopReport;
import io.leadsuite.lead.service.ClosedLoopReport.Dimension;
import io.leadsuite.lead.service.ClosedLoopReport.Row;
import io.smallrye.mutiny.Uni;

/** Reports for marketing and sales (CONTRACT.md, "Closed-loop report"). */
@Path("/reports")
@Tag(name = "Reports")
@Cancellable(false)
public class ReportResource {

    static final String CSV = "text/csv";

    /** The CSV's columns: a row's fields, nested ones by their dotted names. */
    static final List<String> CSV_HEADER = List.of("key", "leads", "mql", "sal", "sql", "opportunities", "won", "lost",
            "pipelineRevenue", "wonRevenue", "conversion.leadToMql", "conversion.mqlToSal", "conversion.salToSql",
            "conversion.sqlToOpportunity", "conversion.opportunityToWon", "conversion.leadToWon",
            "medianDaysInStage.lead", "medianDaysInStage.mql", "medianDaysInStage.sal", "medianDaysInStage.sql",
            "medianDaysInStage.opportunity", "disqualified", "rejected", "slaBreached", "slaBreachRate",
            "ageing.open", "ageing.medianDays", "ageing.upTo7Days", "ageing.upTo30Days", "ageing.upTo90Days",
            "ageing.over90Days");

    @Inject
    ClosedLoopReport closedLoop;

    @GET
    @Path("/closed-loop")
    @Produces({ MediaType.APPLICATION_JSON, CSV })
    @RolesAllowed({ Roles.MARKETING, Roles.SALES, Roles.ADMIN })
    @Operation(operationId = "getClosedLoopReport", summary = "Closed-loop report: what the leads of a period became, by source, campaign, topic or owner", description = """
            Over the leads created in [from, to) (ISO-8601 instants; defaults: the last 30 days), one row per \
            `by` value (`key`; null for leads without one): `leads`; `mql` (made sales-ready automatically, by \
            score); `sal` (accepted: entered the sales-acceptance stage); `sql` (qualified by sales: moved on from \
            the sales flow's QUALIFY stage, or reported as an opportunity); `opportunities` (an opportunity reported \
            or DEVELOP entered); `won`, `lost` (status now); `pipelineRevenue` (estimated revenue of the leads still \
            open in sales); `wonRevenue`; `conversion` (each step over the one before, and won over leads; null when \
            the step before has none); `medianDaysInStage` (median days from each step to the next: `lead` to MQL, \
            `mql` to SAL, `sal` to SQL, `sql` to opportunity, `opportunity` to closed); `disqualified`; `rejected` \
            (by the CRM at least once); `slaBreached` (overran a stage SLA at least once) and `slaBreachRate` (over \
            `leads`); `ageing` (the open leads by age now). Beside the rows, `disqualificationReasons` and \
            `rejectionReasons` count the reasons given per key. `Accept: text/csv` gives the rows as CSV, nested \
            fields as dotted columns; a cell that starts with =, +, - or @ gets a leading ' so that no spreadsheet \
            runs it.""")
    @APIResponse(responseCode = "200", description = "The report", content = {
            @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = ClosedLoopReport.Report.class), examples = @ExampleObject(name = "by campaign", value = """
                    {"from": "2026-11-01T00:00:00Z", "to": "2026-12-01T00:00:00Z", "by": "campaign",
                     "rows": [{"key": "Spring expo 2026", "leads": 40, "mql": 20, "sal": 12, "sql": 8,
                               "opportunities": 6, "won": 3, "lost": 2, "pipelineRevenue": 15000.00,
                               "wonRevenue": 45000.00,
                               "conversion": {"leadToMql": 0.5, "mqlToSal": 0.6, "salToSql": 0.6667,
                                              "sqlToOpportunity": 0.75, "opportunityToWon": 0.5, "leadToWon": 0.075},
                               "medianDaysInStage": {"lead": 6.5, "mql": 1.25, "sal": 3.0, "sql": 0.0,
                                                     "opportunity": 21.4},
                               "disqualified": 5, "rejected": 1, "slaBreached": 4, "slaBreachRate": 0.1,
                               "ageing": {"open": 30, "medianDays": 12.3, "upTo7Days": 8, "upTo30Days": 22,
                                          "upTo90Days": 0, "over90Days": 0}}],
                     "disqualificationReasons": [{"key": "Spring expo 2026", "reason": "no budget", "count": 3}],
                     "rejectionReasons": [{"key": "Spring expo 2026", "reason": "duplicate in CRM", "count": 1}]}""")),
            @Content(mediaType = CSV, schema = @Schema(type = org.eclipse.microprofile.openapi.annotations.enums.SchemaType.STRING), examples = @ExampleObject(name = "csv", value = """
                    key,leads,mql,sal,sql,opportunities,won,lost,pipelineRevenue,wonRevenue,...\r\n\
                    Spring expo 2026,40,20,12,8,6,3,2,15000.00,45000.00,...\r\n""")) })
    @APIResponse(responseCode = "400", description = "`from` or `to` is not an ISO-8601 instant, `from` is not before `to`, or `by` is not source, campaign, topic or owner")
    public Uni<Response> closedLoop(
            @Parameter(description = "first creation instant counted (inclusive); default: 30 days before `to`", example = "2026-11-01T00:00:00Z") @QueryParam("from") String from,
            @Parameter(description = "end of the period (exclusive); default: now", example = "2026-12-01T00:00:00Z") @QueryParam("to") String to,
            @Parameter(description = "what the rows are grouped by: source (default), campaign, topic or owner", example = "campaign") @QueryParam("by") String by,
            @Context HttpHeaders headers) {
        Instant end = to == null || to.isBlank() ? Instant.now() : LeadResource.instant("to", to);
        Instant start = from == null || from.isBlank() ? end.minus(Duration.ofDays(30))
                : LeadResource.instant("from", from);
        if (!start.isBefore(end)) {
            throw ProblemException.badRequest("'from' must be before 'to'");
        }
        Dimension dimension = by == null || by.isBlank() ? Dimension.SOURCE
                : Dimension.named(by).orElseThrow(() -> ProblemException.badRequest(
                        "'by' must be one of source, campaign, topic, owner"));
        boolean csv = wantsCsv(headers.getAcceptableMediaTypes());
        return closedLoop.report(start, end, dimension).map(report -> csv
                ? Response.ok(csv(report.rows()), CSV + ";charset=UTF-8").build()
                : Response.ok(report, MediaType.APPLICATION_JSON).build());
    }

    /** Whether CSV comes before JSON among what the caller accepts (in the order of its preference). */
    static boolean wantsCsv(List<MediaType> acceptable) {
        MediaType csv = MediaType.valueOf(CSV);
        for (MediaType type : acceptable) {
            if (type.isCompatible(MediaType.APPLICATION_JSON_TYPE)) {
                return false;
            }
            if (type.isCompatible(csv)) {
                return true;
            }
        }
        return false;
    }

    static String csv(List<Row> rows) {
        CsvWriter out = new CsvWriter().row(CSV_HEADER);
        for (Row r : rows) {
            List<Object> cells = new ArrayList<>(Arrays.asList(r.key(), r.leads(), r.mql(), r.sal(), r.sql(),
                    r.opportunities(), r.won(), r.lost(), r.pipelineRevenue().toPlainString(),
                    r.wonRevenue().toPlainString()));
            var c = r.conversion();
            cells.addAll(Arrays.asList(c.leadToMql(), c.mqlToSal(), c.salToSql(), c.sqlToOpportunity(),
                    c.opportunityToWon(), c.leadToWon()));
            var d = r.medianDaysInStage();
            cells.addAll(Arrays.asList(d.lead(), d.mql(), d.sal(), d.sql(), d.opportunity()));
            cells.addAll(Arrays.asList(r.disqualified(), r.rejected(), r.slaBreached(), r.slaBreachRate()));
            var a = r.ageing();
            cells.addAll(Arrays.asList(a.open(), a.medianDays(), a.upTo7Days(), a.upTo30Days(), a.upTo90Days(),
                    a.over90Days()));
            out.row(cells);
        }
        return out.toString();
    }
}
