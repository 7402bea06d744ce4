package io.leadsuite.lead.repository;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import jakarta.enterprise.context.ApplicationScoped;

import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;

/**
 * The reports' reads, grouped queries over leads and their history ({@code lead}, {@code lead_history}, a lead's
 * {@code campaign}): the funnel of a flow and the closed-loop report of the leads created in a period. Read only. In
 * the caller's session.
 */
@ApplicationScoped
public class ReportRepository {

    /**
     * Moves out of a stage of the flow in the period: to {@code toStage}, or, where {@code toStage} is null, out of
     * {@code fromStage} to any stage.
     *
     * @param medianSecondsInStage median seconds the leads spent in {@code fromStage} before these moves
     */
    public record StageMoves(String fromStage, String toStage, long count, Double medianSecondsInStage) {
    }

    /** Leads that entered each stage of the flow in [from, to) (created in it, moved or reopened into it), by stage. */
    public Uni<Map<String, Long>> enteredByStage(String flowId, Instant from, Instant to) {
        return Panache.getSession().chain(s -> s.createNativeQuery("""
                select h.to_stage, count(*) from lead_history h
                where h.flow_id = ?1 and h.kind in ('CREATED', 'STAGE_CHANGED', 'REOPENED', 'FLOW_SWITCHED')
                  and h.at >= ?2 and h.at < ?3
                group by h.to_stage""", Object[].class)
                .setParameter(1, flowId).setParameter(2, from).setParameter(3, to).getResultList())
                .map(ReportRepository::countsByStage);
    }

    /**
     * The moves out of each stage of the flow in [from, to) (moved, reopened into another stage, or switched out of
     * the flow): by the stage they went to, and in all.
     */
    public Uni<List<StageMoves>> movesOutOfStages(String flowId, Instant from, Instant to) {
        return Panache.getSession().chain(s -> s.createNativeQuery("""
                select h.from_stage, h.to_stage, count(*),
                       percentile_cont(0.5) within group (order by h.seconds_in_stage)
                from lead_history h
                where (h.flow_id = ?1 and h.kind in ('STAGE_CHANGED', 'REOPENED') and h.from_stage <> h.to_stage
                       or h.from_flow_id = ?1 and h.kind = 'FLOW_SWITCHED')
                  and h.at >= ?2 and h.at < ?3
                group by grouping sets ((h.from_stage, h.to_stage), (h.from_stage))""", Object[].class)
                .setParameter(1, flowId).setParameter(2, from).setParameter(3, to).getResultList())
                .map(rows -> rows.stream().map(r -> new StageMoves((String) r[0], (String) r[1],
                        RowValues.count(r[2]), seconds(r[3]))).toList());
    }

    /** The flow's leads now, by stage. */
    public Uni<Map<String, Long>> currentByStage(String flowId) {
        return Panache.getSession().chain(s -> s.createNativeQuery(
                "select stage, count(*) from lead where flow_id = ?1 group by stage", Object[].class)
                .setParameter(1, flowId).getResultList())
                .map(ReportRepository::countsByStage);
    }

    /** What the closed-loop report groups a period's leads by: the lead's column. */
    public enum CohortKey {
        SOURCE("l.source"),
        CAMPAIGN("c.name"),
        TOPIC("l.topic"),
        OWNER("l.owner");

        final String column;

        CohortKey(String column) {
            this.column = column;
        }
    }

    /**
     * What one group of a period's leads became: each step's count (the first time a lead took it), revenue, the
     * median seconds between steps over the leads that took both (null when none did), and the ages of those still
     * open.
     *
     * @param key the group's source, campaign name, topic or owner; null for leads without one
     * @param pipelineRevenue estimated revenue of the leads still open in sales (ACCEPTED or CONVERTED)
     * @param wonRevenue revenue of the leads closed won
     * @param toMqlSeconds created to MQL
     * @param toSalSeconds MQL to SAL
     * @param toSqlSeconds SAL to SQL
     * @param toOpportunitySeconds SQL to opportunity
     * @param toClosedSeconds opportunity to closed won or lost
     * @param disqualified leads disqualified (status now)
     * @param rejected leads the CRM rejected at least once
     * @param slaBreached leads that overran a stage's SLA at least once
     * @param open leads still open (OPEN, ACCEPTED or CONVERTED), now
     * @param openMedianAgeSeconds their median age
     */
    public record CohortGroup(String key, long leads, long mql, long sal, long sql, long opportunities, long won,
            long lost, BigDecimal pipelineRevenue, BigDecimal wonRevenue, Double toMqlSeconds, Double toSalSeconds,
            Double toSqlSeconds, Double toOpportunitySeconds, Double toClosedSeconds, long disqualified,
            long rejected, long slaBreached, long open, Double openMedianAgeSeconds, long openUpTo7Days,
            long openUpTo30Days, long openUpTo90Days, long openOver90Days) {
    }

    /** How often a reason was given, for the leads of one key; {@code reason} null when none was given. */
    public record ReasonCount(String key, String reason, long count) {
    }

    /** The leads of the period with their key ({@code %s}: the key's column); ?1 from, ?2 to. */
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
    private static final String GROUPS = """
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

    /**
     * What the leads created in [from, to) became, grouped by {@code by}, keys in order, leads without one last.
     * {@code qualifyingMoves}: the moves that make a lead sales-qualified ({@code flow|from|to}), {@code
     * opportunityStages}: the stages that are an opportunity ({@code flow|stage}), each comma-separated.
     */
    public Uni<List<CohortGroup>> closedLoopGroups(CohortKey by, Instant from, Instant to, String qualifyingMoves,
            String opportunityStages) {
        return Panache.getSession().chain(s -> s.createNativeQuery(COHORT.formatted(by.column) + GROUPS, Object[].class)
                .setParameter(1, from).setParameter(2, to).setParameter(3, qualifyingMoves)
                .setParameter(4, opportunityStages).setParameter(5, Instant.now()).getResultList())
                .map(rows -> rows.stream().map(ReportRepository::group).toList());
    }

    /** Why the leads created in [from, to) were disqualified, by {@code by}'s key: most given first per key. */
    public Uni<List<ReasonCount>> disqualificationReasons(CohortKey by, Instant from, Instant to) {
        return reasons(COHORT.formatted(by.column) + DISQUALIFICATIONS, from, to);
    }

    /** Why the CRM rejected the leads created in [from, to), by {@code by}'s key: most given first per key. */
    public Uni<List<ReasonCount>> rejectionReasons(CohortKey by, Instant from, Instant to) {
        return reasons(COHORT.formatted(by.column) + REJECTIONS, from, to);
    }

    private static Uni<List<ReasonCount>> reasons(String sql, Instant from, Instant to) {
        return Panache.getSession().chain(s -> s.createNativeQuery(sql, Object[].class)
                .setParameter(1, from).setParameter(2, to).getResultList())
                .map(rows -> rows.stream().map(r -> new ReasonCount((String) r[0], (String) r[1],
                        RowValues.count(r[2]))).toList());
    }

    private static CohortGroup group(Object[] r) {
        return new CohortGroup((String) r[0], RowValues.count(r[1]), RowValues.count(r[2]), RowValues.count(r[3]),
                RowValues.count(r[4]), RowValues.count(r[5]), RowValues.count(r[6]), RowValues.count(r[7]),
                RowValues.amount(r[8]), RowValues.amount(r[9]), seconds(r[10]), seconds(r[11]), seconds(r[12]),
                seconds(r[13]), seconds(r[14]), RowValues.count(r[15]), RowValues.count(r[16]),
                RowValues.count(r[17]), RowValues.count(r[18]), seconds(r[19]), RowValues.count(r[20]),
                RowValues.count(r[21]), RowValues.count(r[22]), RowValues.count(r[23]));
    }

    private static Map<String, Long> countsByStage(List<Object[]> rows) {
        Map<String, Long> counts = new HashMap<>();
        rows.forEach(r -> counts.put((String) r[0], RowValues.count(r[1])));
        return counts;
    }

    /** A number of seconds (a median); null stays null. */
    private static Double seconds(Object value) {
        return value == null ? null : ((Number) value).doubleValue();
    }
}
