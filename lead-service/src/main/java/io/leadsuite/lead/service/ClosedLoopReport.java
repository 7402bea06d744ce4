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
import io.leadsuite.lead.repository.RowValues;
import io.quarkus.hibernate.reactive.panache.Panache;
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
        SOURCE("l.source"),
        CAMPAIGN("c.name"),
        TOPIC("l.topic"),
        OWNER("l.owner");

        final String column;

        Dimension(String column) {
            this.column = column;
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

    /** The leads of the period with their key ({@code %s}: the dimension's column); ?1 from, ?2 to. */
    private static final String COHORT = """
            with cohort as (
                select l.id, %s as key, l.created_at, l.closed_at, l.status, l.revenue, l.estimated_revenue
                from lead l left join campaign c on c.id = l.campaign_id
                where l.created_at >= ?1 and l.created_at < ?2
            )
            """;

    private static final String OPEN = "status in ('OPEN', 'ACCEPTED', 'CONVERTED')";

    /**
     * ?3 the moves that qualify a lead ({@code flow|from|to}), ?4 the stages that are an opportunity ({@code flow|stage}),
     * comma-separated, ?5 now.
     */
    private static final String ROWS = """
            , marks as (
                select h.lead_id,
                       min(h.at) filter (where h.kind = 'SALES_READY' and h.cause = 'SCORE') as mql_at,
                       min(h.at) filter (where h.kind = 'ACCEPTED') as sal_at,
                       min(h.at) filter (where h.kind = 'STAGE_CHANGED' and h.flow_id || '|' || h.from_stage || '|'
                                                 || h.to_stage = any (string_to_array(?3, ','))) as qualified_at,
                       min(h.at) filter (where h.kind = 'OPPORTUNITY'
                                            or h.kind = 'STAGE_CHANGED'
                                               and h.flow_id || '|' || h.to_stage = any (string_to_array(?4, ',')))
                           as opportunity_at,
                       bool_or(h.kind = 'REJECTED') as rejected,
                       bool_or(h.kind = 'SLA_BREACHED') as breached
                from lead_history h join cohort k on k.id = h.lead_id
                group by h.lead_id
            ), facts as (
                select k.key, k.created_at, k.status, k.revenue, k.estimated_revenue, m.mql_at, m.sal_at,
                       least(m.qualified_at, m.opportunity_at) as sql_at, m.opportunity_at,
                       case when k.status in ('WON', 'LOST') then k.closed_at end as closed_at,
                       coalesce(m.rejected, false) as rejected, coalesce(m.breached, false) as breached,
                       extract(epoch from cast(?5 as timestamptz) - k.created_at) as age
                from cohort k left join marks m on m.lead_id = k.id
            )
            select key, count(*), count(mql_at), count(sal_at), count(sql_at), count(opportunity_at),
                   count(*) filter (where status = 'WON'), count(*) filter (where status = 'LOST'),
                   coalesce(sum(estimated_revenue) filter (where status in ('ACCEPTED', 'CONVERTED')), 0),
                   coalesce(sum(revenue) filter (where status = 'WON'), 0),
                   percentile_cont(0.5) within group (order by extract(epoch from mql_at - created_at)),
                   percentile_cont(0.5) within group (order by extract(epoch from sal_at - mql_at)),
                   percentile_cont(0.5) within group (order by extract(epoch from sql_at - sal_at)),
                   percentile_cont(0.5) within group (order by extract(epoch from opportunity_at - sql_at)),
                   percentile_cont(0.5) within group (order by extract(epoch from closed_at - opportunity_at)),
                   count(*) filter (where status = 'DISQUALIFIED'), count(*) filter (where rejected),
                   count(*) filter (where breached),
                   count(*) filter (where {open}),
                   percentile_cont(0.5) within group (order by age) filter (where {open}),
                   count(*) filter (where {open} and age <= 7 * 86400),
                   count(*) filter (where {open} and age > 7 * 86400 and age <= 30 * 86400),
                   count(*) filter (where {open} and age > 30 * 86400 and age <= 90 * 86400),
                   count(*) filter (where {open} and age > 90 * 86400)
            from facts
            group by key
            order by key nulls last""".replace("{open}", OPEN);

    private static final String DISQUALIFICATIONS = """
            select k.key, substring(h.reason from '^Closed DISQUALIFIED: (.*)$'), count(*)
            from lead_history h join cohort k on k.id = h.lead_id
            where h.kind = 'CLOSED' and h.reason like 'Closed DISQUALIFIED%'
            group by 1, 2
            order by 1 nulls last, 3 desc, 2 nulls last""";

    private static final String REJECTIONS = """
            select k.key, h.reason, count(*)
            from lead_history h join cohort k on k.id = h.lead_id
            where h.kind = 'REJECTED'
            group by 1, 2
            order by 1 nulls last, 3 desc, 2 nulls last""";

    @Inject
    FlowCatalog flows;

    @WithSession
    public Uni<Report> report(Instant from, Instant to, Dimension by) {
        String cohort = COHORT.formatted(by.column);
        return flows.latest().chain(all -> Panache.getSession().chain(s -> s
                .createNativeQuery(cohort + ROWS, Object[].class)
                .setParameter(1, from).setParameter(2, to).setParameter(3, qualifyingMoves(all))
                .setParameter(4, opportunityStages(all)).setParameter(5, Instant.now()).getResultList()
                .chain(rows -> s.createNativeQuery(cohort + DISQUALIFICATIONS, Object[].class)
                        .setParameter(1, from).setParameter(2, to).getResultList()
                        .chain(disqualified -> s.createNativeQuery(cohort + REJECTIONS, Object[].class)
                                .setParameter(1, from).setParameter(2, to).getResultList()
                                .map(rejected -> new Report(from, to, by.name().toLowerCase(Locale.ROOT),
                                        rows.stream().map(ClosedLoopReport::row).toList(), reasons(disqualified),
                                        reasons(rejected)))))));
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

    private static Row row(Object[] r) {
        long leads = RowValues.count(r[1]);
        long mql = RowValues.count(r[2]);
        long sal = RowValues.count(r[3]);
        long sql = RowValues.count(r[4]);
        long opportunities = RowValues.count(r[5]);
        long won = RowValues.count(r[6]);
        long breached = RowValues.count(r[17]);
        return new Row((String) r[0], leads, mql, sal, sql, opportunities, won, RowValues.count(r[7]), RowValues.amount(r[8]),
                RowValues.amount(r[9]), Conversion.of(leads, mql, sal, sql, opportunities, won),
                new StageDays(Rates.days((Number) r[10]), Rates.days((Number) r[11]), Rates.days((Number) r[12]),
                        Rates.days((Number) r[13]), Rates.days((Number) r[14])),
                RowValues.count(r[15]), RowValues.count(r[16]), breached, Rates.rate(breached, leads),
                new Ageing(RowValues.count(r[18]), Rates.days((Number) r[19]), RowValues.count(r[20]), RowValues.count(r[21]),
                        RowValues.count(r[22]),
                        RowValues.count(r[23])));
    }

    private static List<Reason> reasons(List<Object[]> rows) {
        return rows.stream().map(r -> new Reason((String) r[0], (String) r[1], RowValues.count(r[2]))).toList();
    }
}
