package io.leadsuite.lead.service;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import io.leadsuite.lead.domain.Flow;
import io.leadsuite.lead.domain.LeadStatus;
import io.leadsuite.lead.repository.ReportRepository;
import io.leadsuite.lead.repository.ReportRepository.CohortGroup;
import io.leadsuite.lead.repository.ReportRepository.CohortKey;
import io.leadsuite.lead.repository.ReportRepository.ReasonCount;
import io.quarkus.hibernate.reactive.panache.common.WithSession;
import io.smallrye.mutiny.Uni;

/**
 * Closed-loop reporting: what the leads created in a period became, by source, campaign, topic or owner, read from the
 * leads and their history in a few grouped queries (as the funnel is). The steps of a lead, each the first time it
 * happened:
 * <ul>
 * <li>MQL: made sales-ready automatically, by score (a {@code SALES_READY} entry with cause SCORE);</li>
 * <li>SAL: accepted by sales or the CRM (an {@code ACCEPTED} entry: it entered the sales-acceptance stage);</li>
 * <li>SQL: qualified by sales: moved on, forward, from the stage sales accepted it into to a later stage that is not
 * where it closes, or reported as an opportunity;</li>
 * <li>opportunity: an opportunity reported by the CRM, or a stage with status CONVERTED entered (DEVELOP,
 * OPPORTUNITY);</li>
 * <li>won, lost: the lead's status now, with its revenue.</li>
 * </ul>
 * Every flow counts, the way the second seed draws the steps: "when starting the Sales Qualified Lead stage the salesman
 * takes over the lead to verify if the lead is an opportunity worth starting to work with". The stage sales accepts a
 * lead into is, in a flow that is another flow's sales flow, its first stage ({@code sales-lead}'s QUALIFY: the first
 * seed's sales team "further qualifying the lead" there after the switch), otherwise the flow's sales-acceptance stage
 * (the {@code funnel}'s SALES_ACCEPTED, whose next stage is SALES_QUALIFIED); a flow whose accepted leads switch to a
 * sales flow has none ({@code marketing-lead}). Each flow's newest version says which stages these are.
 */
@ApplicationScoped
public class ClosedLoopReport {

    /** What the rows are grouped by. */
    public enum Dimension {
        SOURCE(CohortKey.SOURCE),
        CAMPAIGN(CohortKey.CAMPAIGN),
        TOPIC(CohortKey.TOPIC),
        OWNER(CohortKey.OWNER);

        final CohortKey key;

        Dimension(CohortKey key) {
            this.key = key;
        }

        /** The dimension a query parameter names (any case), if any. */
        public static Optional<Dimension> named(String name) {
            for (Dimension d : values()) {
                if (d.name().equalsIgnoreCase(name.strip())) {
                    return Optional.of(d);
                }
            }
            return Optional.empty();
        }
    }

    /** Each step's count over the step before it (null when that is zero), and won over leads. */
    public record Conversion(Double leadToMql, Double mqlToSal, Double salToSql, Double sqlToOpportunity,
            Double opportunityToWon, Double leadToWon) {

        public static Conversion of(long leads, long mql, long sal, long sql, long opportunities, long won) {
            return new Conversion(Rates.rate(mql, leads), Rates.rate(sal, mql), Rates.rate(sql, sal),
                    Rates.rate(opportunities, sql), Rates.rate(won, opportunities), Rates.rate(won, leads));
        }
    }

    /**
     * Median days a lead spent at each step before it took the next, over the leads that took both (null when none
     * did): {@code lead} created to MQL, {@code mql} to SAL, {@code sal} to SQL, {@code sql} to opportunity,
     * {@code opportunity} to closed won or lost.
     */
    public record StageDays(Double lead, Double mql, Double sal, Double sql, Double opportunity) {
    }

    /** The row's leads still open (OPEN, ACCEPTED or CONVERTED) by age, now. */
    public record Ageing(long open, Double medianDays, long upTo7Days, long upTo30Days, long upTo90Days,
            long over90Days) {
    }

    /**
     * One group of leads.
     *
     * @param key the source, campaign name, topic or owner; null for leads without one
     * @param pipelineRevenue estimated revenue of the leads still open in sales (ACCEPTED or CONVERTED)
     * @param wonRevenue revenue of the leads closed won
     * @param disqualified leads disqualified (status now)
     * @param rejected leads the CRM rejected at least once
     * @param slaBreached leads that overran a stage's SLA at least once
     * @param slaBreachRate {@code slaBreached} over {@code leads}
     */
    public record Row(String key, long leads, long mql, long sal, long sql, long opportunities, long won, long lost,
            BigDecimal pipelineRevenue, BigDecimal wonRevenue, Conversion conversion, StageDays medianDaysInStage,
            long disqualified, long rejected, long slaBreached, Double slaBreachRate, Ageing ageing) {
    }

    /** How often a reason was given, for the leads of one key; {@code reason} null when none was given. */
    public record Reason(String key, String reason, long count) {
    }

    /**
     * The report over the leads created in [from, to).
     *
     * @param disqualificationReasons why the leads were disqualified, most given first per key
     * @param rejectionReasons why the CRM rejected them
     */
    public record Report(Instant from, Instant to, String by, List<Row> rows, List<Reason> disqualificationReasons,
            List<Reason> rejectionReasons) {
    }

    @Inject
    FlowCatalog flows;
    @Inject
    ReportRepository reports;

    @WithSession
    public Uni<Report> report(Instant from, Instant to, Dimension by) {
        return flows.latest().chain(all -> reports.closedLoopGroups(by.key, from, to, qualifyingMoves(all),
                opportunityStages(all))
                .chain(groups -> reports.disqualificationReasons(by.key, from, to)
                        .chain(disqualified -> reports.rejectionReasons(by.key, from, to)
                                .map(rejected -> new Report(from, to, by.name().toLowerCase(Locale.ROOT),
                                        groups.stream().map(ClosedLoopReport::row).toList(), reasons(disqualified),
                                        reasons(rejected))))));
    }

    /**
     * The moves that make a lead sales-qualified, as {@code flow|from|to}: in each flow, from the stage sales accepts
     * a lead into to every later stage but where the flow closes (its close stage, its WON and LOST stages).
     */
    static String qualifyingMoves(List<Flow> flows) {
        Set<String> salesFlows = flows.stream().map(Flow::salesFlow).filter(Objects::nonNull)
                .collect(Collectors.toSet());
        List<String> moves = new ArrayList<>();
        for (Flow flow : flows) {
            Optional<Flow.Stage> accepted = flow.salesFlow() != null ? Optional.empty()
                    : salesFlows.contains(flow.id()) ? Optional.of(flow.firstStage()) : flow.salesAcceptanceStage();
            accepted.ifPresent(from -> flow.stages().stream()
                    .filter(to -> flow.position(to.id()) > flow.position(from.id()))
                    .filter(to -> !to.id().equals(flow.closeStage()) && to.status() != LeadStatus.WON
                            && to.status() != LeadStatus.LOST)
                    .forEach(to -> moves.add(flow.id() + "|" + from.id() + "|" + to.id())));
        }
        return String.join(",", moves);
    }

    /** The stages that are an opportunity (status CONVERTED), as {@code flow|stage}. */
    static String opportunityStages(List<Flow> flows) {
        return flows.stream().flatMap(flow -> flow.stages().stream().filter(st -> st.status() == LeadStatus.CONVERTED)
                .map(st -> flow.id() + "|" + st.id())).collect(Collectors.joining(","));
    }

    private static Row row(CohortGroup g) {
        return new Row(g.key(), g.leads(), g.mql(), g.sal(), g.sql(), g.opportunities(), g.won(), g.lost(),
                g.pipelineRevenue(), g.wonRevenue(),
                Conversion.of(g.leads(), g.mql(), g.sal(), g.sql(), g.opportunities(), g.won()),
                new StageDays(Rates.days(g.toMqlSeconds()), Rates.days(g.toSalSeconds()),
                        Rates.days(g.toSqlSeconds()), Rates.days(g.toOpportunitySeconds()),
                        Rates.days(g.toClosedSeconds())),
                g.disqualified(), g.rejected(), g.slaBreached(), Rates.rate(g.slaBreached(), g.leads()),
                new Ageing(g.open(), Rates.days(g.openMedianAgeSeconds()), g.openUpTo7Days(), g.openUpTo30Days(),
                        g.openUpTo90Days(), g.openOver90Days()));
    }

    private static List<Reason> reasons(List<ReasonCount> counts) {
        return counts.stream().map(r -> new Reason(r.key(), r.reason(), r.count())).toList();
    }
}
