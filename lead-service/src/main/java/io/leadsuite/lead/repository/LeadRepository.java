package io.leadsuite.lead.repository;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import io.leadsuite.kit.sql.SessionSql;
import io.leadsuite.lead.domain.Lead;
import io.leadsuite.lead.domain.LeadHistoryEntry;
import io.leadsuite.lead.domain.LeadStatus;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;

/**
 * The SQL of leads that the entity's own finders do not express: the lead list (a work queue) with its filters, orders
 * and keyset cursors, the locks a batch of events takes, and the erasure of what a contact's leads hold about the
 * person. In the caller's session or transaction.
 */
@ApplicationScoped
public class LeadRepository {

    /**
     * Locks the given leads in id order and loads them into the caller's session, in two statements whatever their
     * number. A consumer that applies a batch of events calls it first: its effects then find their leads locked,
     * instead of locking them in message order, which deadlocks with another batch that locks them in another, and
     * find them in the session instead of selecting each again.
     */
    public Uni<Void> lockAndLoad(Collection<UUID> ids) {
        if (ids.isEmpty()) {
            return Uni.createFrom().voidItem();
        }
        UUID[] distinct = ids.stream().distinct().toArray(UUID[]::new);
        // a plain statement: an HQL query with a list parameter is translated again at every execution; the load
        // after it is Hibernate's multi-id load (one select with an array parameter), which the plan cache does not hold
        return SessionSql.select("select id from lead where id = any($1) order by id for update", (Object) distinct)
                .chain(() -> Panache.getSession())
                .chain(session -> session.find(Lead.class, (Object[]) distinct))
                .replaceWithVoid();
    }

    /**
     * Lines of leads' history in one statement whatever their number, in list order (so their ids, which order a
     * lead's history, follow it). Not flushed first: the leads they name must be written already.
     */
    public Uni<Void> addHistory(List<LeadHistoryEntry> entries) {
        if (entries.isEmpty()) {
            return Uni.createFrom().voidItem();
        }
        int n = entries.size();
        UUID[] leads = new UUID[n];
        OffsetDateTime[] at = new OffsetDateTime[n];
        String[] kinds = new String[n], flows = new String[n], fromFlows = new String[n], from = new String[n],
                to = new String[n], causes = new String[n], actors = new String[n], reasons = new String[n];
        Long[] secondsInStage = new Long[n];
        for (int i = 0; i < n; i++) {
            LeadHistoryEntry entry = entries.get(i);
            leads[i] = entry.leadId;
            at[i] = entry.at.atOffset(ZoneOffset.UTC);
            kinds[i] = entry.kind;
            flows[i] = entry.flowId;
            fromFlows[i] = entry.fromFlowId;
            from[i] = entry.fromStage;
            to[i] = entry.toStage;
            causes[i] = entry.cause;
            actors[i] = entry.actor;
            reasons[i] = entry.reason;
            secondsInStage[i] = entry.secondsInStage;
        }
        return SessionSql.update(ADD_HISTORY, leads, at, kinds, flows, fromFlows, from, to, causes, actors, reasons,
                secondsInStage).replaceWithVoid();
    }

    private static final String ADD_HISTORY = """
            insert into lead_history (lead_id, at, kind, flow_id, from_flow_id, from_stage, to_stage, cause, actor,
                reason, seconds_in_stage)
            select h.lead_id, h.at, h.kind, h.flow_id, h.from_flow_id, h.from_stage, h.to_stage, h.cause, h.actor,
                h.reason, h.seconds_in_stage
            from unnest($1::uuid[], $2::timestamptz[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[],
                $8::text[], $9::text[], $10::text[], $11::bigint[])
                with ordinality as h(lead_id, at, kind, flow_id, from_flow_id, from_stage, to_stage, cause, actor,
                    reason, seconds_in_stage, ord)
            order by h.ord""";

    /**
     * Removes what these leads hold about their person outside the lead rows: free-text reasons in their history, the
     * bodies of their webhook deliveries (pending ones are cancelled: they would still send them), their events not
     * relayed yet and their dead-lettered events (their payloads carry reasons, needs, source references).
     */
    public Uni<Void> erasePersonalData(List<UUID> ids) {
        return Panache.getSession().chain(session -> session.createNativeQuery(
                "update lead_history set reason = null where lead_id in (?1) and reason is not null")
                .setParameter(1, ids).executeUpdate()
                .chain(() -> session.createNativeQuery("update webhook_delivery set payload = '{\"erased\":true}', "
                        + "last_error = null, leased_until = null, state = case when state = 'PENDING' "
                        + "then 'CANCELLED' else state end where lead_id in (?1)")
                        .setParameter(1, ids).executeUpdate())
                .chain(() -> session.createNativeQuery("delete from outbox_message where subject in (?1)")
                        .setParameter(1, ids).executeUpdate())
                .chain(() -> session.createNativeQuery("delete from outbox_dead_letter where subject in (?1)")
                        .setParameter(1, ids).executeUpdate()))
                .replaceWithVoid();
    }

    /**
     * Filters of the lead list (a work queue); null members do not filter. {@code grade}, {@code minScore} and
     * {@code maxScore} look at the lead's highest score over its models (and that model's grade); {@code activeFrom}
     * and {@code activeTo} at its last activity ({@code updatedAt}).
     */
    public record LeadFilter(UUID contactId, String stage, LeadStatus status, Boolean salesReady, String team,
            String topic, String owner, String grade, Integer minScore, Integer maxScore, String source,
            String campaign, Instant createdFrom, Instant createdTo, Instant activeFrom, Instant activeTo) {

        public LeadFilter(UUID contactId, String stage, LeadStatus status, Boolean salesReady, String team,
                String topic) {
            this(contactId, stage, status, salesReady, team, topic, null, null, null, null, null, null, null, null,
                    null, null);
        }
    }

    /**
     * Orders of the lead list. Each pages by a keyset cursor: the last item's sort key and id.
     */
    public enum LeadSort {
        /** By id (the default: stable, no key). */
        ID(null, false),
        /** Lowest score first; leads without a score first of all. */
        SCORE("coalesce(l.top_score, -2147483648)", false),
        /** Highest score first; leads without a score last. */
        SCORE_DESC("coalesce(l.top_score, -2147483648)", true),
        /** Oldest first (the highest age). */
        CREATED("cast(extract(epoch from l.created_at) * 1000000 as bigint)", false),
        /** Newest first. */
        CREATED_DESC("cast(extract(epoch from l.created_at) * 1000000 as bigint)", true),
        /** The stage SLA due soonest first (overdue ones first of all); leads in a stage without an SLA last. */
        SLA_DUE("coalesce(cast(extract(epoch from s.due_at) * 1000000 as bigint), 9223372036854775807)", false);

        final String key;
        final boolean descending;

        LeadSort(String key, boolean descending) {
            this.key = key;
            this.descending = descending;
        }
    }

    /** Where a page ends: the last lead's sort key (null when sorted by id) and id. */
    public record ListCursor(Long key, UUID id) {
    }

    /** A lead of the list with its sort key, to make the next page's cursor from. */
    public record Listed(Lead lead, Long key) {
    }

    /**
     * Leads matching the filter, in the given order, after the cursor. (Without a cursor there is no lower bound:
     * PostgreSQL orders uuids as unsigned bytes, so no Java UUID is a safe "smallest".)
     */
    public Uni<List<Listed>> list(LeadFilter filter, LeadSort sort, ListCursor after, int limit) {
        List<String> where = new ArrayList<>();
        List<Object> params = new ArrayList<>();
        java.util.function.Function<Object, String> p = value -> {
            params.add(value);
            return "?" + params.size();
        };
        String key = sort.key == null ? "0" : sort.key;
        if (after != null) {
            if (sort.key == null) {
                where.add("l.id > " + p.apply(after.id()));
            } else {
                String k = p.apply(after.key());
                where.add("(" + key + (sort.descending ? " < " : " > ") + k + " or (" + key + " = " + k
                        + " and l.id > " + p.apply(after.id()) + "))");
            }
        }
        if (filter.contactId() != null) {
            where.add("l.contact_id = " + p.apply(filter.contactId()));
        }
        if (filter.stage() != null) {
            where.add("l.stage = " + p.apply(filter.stage()));
        }
        if (filter.status() != null) {
            where.add("l.status = " + p.apply(filter.status().name()));
        }
        if (filter.salesReady() != null) {
            where.add("l.sales_ready = " + p.apply(filter.salesReady()));
        }
        if (filter.team() != null) {
            where.add("l.team = " + p.apply(filter.team()));
        }
        if (filter.topic() != null) {
            where.add("l.topic = " + p.apply(normaliseTopic(filter.topic())));
        }
        if (filter.owner() != null) {
            where.add("l.owner = " + p.apply(filter.owner()));
        }
        if (filter.grade() != null) {
            where.add("l.top_grade = " + p.apply(filter.grade()));
        }
        if (filter.minScore() != null) {
            where.add("l.top_score >= " + p.apply(filter.minScore()));
        }
        if (filter.maxScore() != null) {
            where.add("l.top_score <= " + p.apply(filter.maxScore()));
        }
        if (filter.source() != null) {
            where.add("l.source = " + p.apply(filter.source()));
        }
        if (filter.campaign() != null) {
            String campaign = p.apply(filter.campaign().strip());
            where.add("l.campaign_id = (select c.id from campaign c where c.id::text = " + campaign
                    + " or lower(c.name) = lower(" + campaign + "))");
        }
        if (filter.createdFrom() != null) {
            where.add("l.created_at >= " + p.apply(filter.createdFrom()));
        }
        if (filter.createdTo() != null) {
            where.add("l.created_at < " + p.apply(filter.createdTo()));
        }
        if (filter.activeFrom() != null) {
            where.add("l.updated_at >= " + p.apply(filter.activeFrom()));
        }
        if (filter.activeTo() != null) {
            where.add("l.updated_at < " + p.apply(filter.activeTo()));
        }
        // ids first, then the leads by Hibernate's multi-load (it names their columns): prepared statements are kept
        // per connection, and a kept "select l.*" would fail on a column added under it by another replica's migration
        String sql = "select l.id from lead l"
                + (sort == LeadSort.SLA_DUE
                        ? " left join lead_stage_sla s on s.lead_id = l.id and s.stage = l.stage"
                        : "")
                + (where.isEmpty() ? "" : " where " + String.join(" and ", where))
                + " order by " + (sort.key == null ? "" : key + (sort.descending ? " desc, " : ", ")) + "l.id"
                + " limit " + p.apply(limit);
        return Panache.getSession().chain(session -> {
            var query = session.createNativeQuery(sql, UUID.class);
            for (int i = 0; i < params.size(); i++) {
                query.setParameter(i + 1, params.get(i));
            }
            return query.getResultList().chain(ids -> ids.isEmpty()
                    ? Uni.createFrom().item(List.<Lead> of())
                    : session.find(Lead.class, ids.toArray())
                            .map(leads -> leads.stream().filter(Objects::nonNull).toList()));
        }).chain(found -> sort != LeadSort.SLA_DUE || found.isEmpty()
                ? Uni.createFrom().item(found.stream().map(lead -> new Listed(lead, keyOf(lead, sort))).toList())
                : slaKeys(found).map(keys -> found.stream()
                        .map(lead -> new Listed(lead, keys.getOrDefault(lead.id, Long.MAX_VALUE))).toList()));
    }

    /** The SLA_DUE sort keys of the given leads: their running SLA's due time in microseconds. */
    private static Uni<Map<UUID, Long>> slaKeys(List<Lead> leads) {
        return Panache.getSession().chain(session -> session.createNativeQuery("select s.lead_id, "
                + "cast(extract(epoch from s.due_at) * 1000000 as bigint) from lead_stage_sla s join lead l on "
                + "l.id = s.lead_id and s.stage = l.stage where s.lead_id in (?1)",
                Object[].class).setParameter(1, leads.stream().map(l -> l.id).toList()).getResultList())
                .map(rows -> {
                    Map<UUID, Long> keys = new HashMap<>();
                    rows.forEach(r -> keys.put((UUID) r[0], ((Number) r[1]).longValue()));
                    return keys;
                });
    }

    /** The sort key of a lead as the list's SQL computes it (for the next page's cursor). */
    static Long keyOf(Lead lead, LeadSort sort) {
        return switch (sort) {
            case ID -> null;
            case SCORE, SCORE_DESC -> lead.topScore == null ? (long) Integer.MIN_VALUE : (long) lead.topScore;
            case CREATED, CREATED_DESC -> java.time.temporal.ChronoUnit.MICROS.between(Instant.EPOCH, lead.createdAt);
            case SLA_DUE -> throw new IllegalStateException("read from lead_stage_sla");
        };
    }

    private static String normaliseTopic(String topic) {
        return topic.strip().toLowerCase(java.util.Locale.ROOT);
    }
}
