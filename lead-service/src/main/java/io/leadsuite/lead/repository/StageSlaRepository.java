package io.leadsuite.lead.repository;

import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import io.leadsuite.kit.sql.SessionSql;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;

/**
 * The stage deadlines of leads ({@code lead_stage_sla}): one row per lead, for the stay in its current stage when the
 * stage has an SLA. In the caller's session or transaction.
 */
@ApplicationScoped
public class StageSlaRepository {

    /** An open lead overdue in its current stage, as the overdue list shows it. */
    public record OverdueLead(UUID leadId, String stage, int slaHours, Instant enteredAt, Instant dueAt,
            Instant flaggedAt, String team, String owner) {
    }

    /** An overdue stay the scan took: the lead, its stage, the SLA and when the stay began and was due. */
    public record Breach(UUID leadId, String stage, int hours, Instant entered, Instant due) {
    }

    /** Open leads flagged overdue in their current stage, longest overdue first; a null team does not filter. */
    public Uni<List<OverdueLead>> overdue(String team, int limit) {
        return Panache.getSession().chain(session -> session.createNativeQuery("""
                select s.lead_id, s.stage, s.sla_hours, s.entered_at, s.due_at, s.breached_at, l.team, l.owner
                  from lead_stage_sla s join lead l on l.id = s.lead_id
                 where s.breached_at is not null and l.stage = s.stage and l.status in ('OPEN', 'ACCEPTED')
                   and (cast(?1 as text) is null or l.team = ?1)
                 order by s.due_at, s.lead_id""", Object[].class).setParameter(1, team).setMaxResults(limit)
                .getResultList())
                .map(rows -> rows.stream().map(r -> new OverdueLead((UUID) r[0], (String) r[1],
                        ((Number) r[2]).intValue(), RowValues.instant(r[3]), RowValues.instant(r[4]),
                        RowValues.instant(r[5]), (String) r[6], (String) r[7])).toList());
    }

    /**
     * The lead entered {@code stage} at {@code at} with an SLA of {@code hours}: its deadline replaces the one of an
     * earlier stay (never a later one).
     */
    public Uni<Void> entered(UUID leadId, String stage, int hours, Instant at) {
        return SessionSql.executeWithoutFlush(session -> session.createNativeQuery("insert into lead_stage_sla (lead_id, "
                + "stage, sla_hours, entered_at, due_at) values (?1, ?2, ?3, ?4, ?5) on conflict (lead_id) do update set "
                + "stage = excluded.stage, sla_hours = excluded.sla_hours, entered_at = excluded.entered_at, "
                + "due_at = excluded.due_at, breached_at = null where lead_stage_sla.entered_at <= excluded.entered_at")
                .setParameter(1, leadId).setParameter(2, stage).setParameter(3, hours).setParameter(4, at)
                .setParameter(5, at.plus(Duration.ofHours(hours))))
                .replaceWithVoid();
    }

    /**
     * The lead entered a stage without an SLA at {@code at}: the deadline of an earlier stay goes. Whether the lead
     * has none left (false: one of a later stay stays).
     */
    public Uni<Boolean> cleared(UUID leadId, Instant at) {
        return SessionSql.executeWithoutFlush(session -> session
                .createNativeQuery("delete from lead_stage_sla where lead_id = ?1 and entered_at <= ?2")
                .setParameter(1, leadId).setParameter(2, at))
                .map(deleted -> deleted > 0);
    }

    /**
     * Up to {@code limit} overdue stays not yet flagged, of open leads still in that stage, soonest due first; their
     * rows and leads locked until the transaction ends, skipping those another transaction holds.
     */
    public Uni<List<Breach>> takeOverdue(int limit) {
        return Panache.getSession().chain(session -> session.createNativeQuery("""
                select s.lead_id, s.stage, s.sla_hours,
                       cast(extract(epoch from s.entered_at) * 1000 as bigint),
                       cast(extract(epoch from s.due_at) * 1000 as bigint)
                  from lead_stage_sla s join lead l on l.id = s.lead_id
                 where s.breached_at is null and s.due_at <= now() and l.stage = s.stage
                   and l.status in ('OPEN', 'ACCEPTED')
                 order by s.due_at limit ?1
                 for update of s, l skip locked""", Object[].class).setParameter(1, limit)
                .getResultList())
                .map(rows -> rows.stream().map(row -> new Breach((UUID) row[0], (String) row[1],
                        ((Number) row[2]).intValue(), Instant.ofEpochMilli(((Number) row[3]).longValue()),
                        Instant.ofEpochMilli(((Number) row[4]).longValue()))).toList());
    }

    /** Flags the stays of these leads breached at {@code at}. */
    public Uni<Void> flagBreached(Collection<UUID> leadIds, Instant at) {
        return Panache.getSession().chain(session -> session
                .createNativeQuery("update lead_stage_sla set breached_at = ?2 where lead_id in (?1)")
                .setParameter(1, leadIds).setParameter(2, at).executeUpdate())
                .replaceWithVoid();
    }
}
