package io.leadsuite.lead.repository;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import io.leadsuite.kit.sql.SessionSql;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;

/**
 * The firing state of nurture triggers: the emissions, one per occurrence ({@code nurture_emission}, whose primary key
 * makes a second emission of one occurrence impossible), and the leads inside a GRADE_REACHED trigger's band
 * ({@code nurture_grade_state}). In the caller's transaction.
 */
@ApplicationScoped
public class NurtureRepository {

    /** An open lead idle long enough for a NO_ACTIVITY trigger, unchanged since {@code idleSince} (epoch millis). */
    public record Idle(UUID triggerId, UUID leadId, long idleSince) {
    }

    /** The lead left the trigger's grade band. */
    public Uni<Void> leftBand(UUID triggerId, UUID leadId) {
        return Panache.getSession().chain(session -> session.createNativeQuery(
                "delete from nurture_grade_state where trigger_id = ?1 and lead_id = ?2")
                .setParameter(1, triggerId).setParameter(2, leadId).executeUpdate()).replaceWithVoid();
    }

    /** The lead is inside the trigger's grade band; answers whether it has just entered it. */
    public Uni<Boolean> inBand(UUID triggerId, UUID leadId) {
        return Panache.getSession().chain(session -> session.createNativeQuery(
                "insert into nurture_grade_state (trigger_id, lead_id) values (?1, ?2) on conflict do nothing")
                .setParameter(1, triggerId).setParameter(2, leadId).executeUpdate())
                .map(entered -> entered > 0);
    }

    /**
     * Records one occurrence's emission, only for a contact with confirmed marketing consent (as contact-service last
     * reported it); answers whether it is new (false for a repeated occurrence or without consent).
     */
    public Uni<Boolean> emitted(UUID triggerId, UUID leadId, UUID contactId, String occurrence, Instant at) {
        return SessionSql.executeWithoutFlush(session -> session.createNativeQuery("insert into nurture_emission "
                + "(trigger_id, lead_id, occurrence, emitted_at) select ?1, ?2, ?3, ?4 where exists (select 1 from "
                + "contact_country c where c.contact_id = ?5 and c.marketing_consent) on conflict do nothing")
                .setParameter(1, triggerId).setParameter(2, leadId).setParameter(3, occurrence).setParameter(4, at)
                .setParameter(5, contactId))
                .map(inserted -> inserted > 0);
    }

    /**
     * Up to {@code limit} (trigger, lead) pairs of enabled NO_ACTIVITY triggers whose idle spell has not fired yet,
     * longest idle first; the leads locked until the transaction ends, skipping those another transaction holds.
     */
    public Uni<List<Idle>> takeIdle(int limit) {
        return Panache.getSession().chain(session -> session.createNativeQuery("""
                select t.id as trigger_id, l.id as lead_id,
                       cast(extract(epoch from l.updated_at) * 1000 as bigint) as idle_since
                  from nurture_trigger t
                  join lead l on l.status in ('OPEN', 'ACCEPTED')
                   and l.updated_at < now() - make_interval(days => t.inactive_days)
                   and (t.topics is null or l.topic = any(string_to_array(t.topics, ',')))
                   and exists (select 1 from contact_country c where c.contact_id = l.contact_id
                       and c.marketing_consent)
                 where t.enabled and t.kind = 'NO_ACTIVITY'
                   and not exists (select 1 from nurture_emission e where e.trigger_id = t.id and e.lead_id = l.id
                       and e.occurrence = 'idle-since:' || cast(extract(epoch from l.updated_at) * 1000 as bigint))
                 order by l.updated_at limit ?1
                 for update of l skip locked""", Object[].class).setParameter(1, limit).getResultList())
                .map(rows -> rows.stream().map(row -> new Idle((UUID) row[0], (UUID) row[1],
                        ((Number) row[2]).longValue())).toList());
    }
}
