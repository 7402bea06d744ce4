package io.leadsuite.lead.repository;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import io.leadsuite.kit.sql.SessionSql;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;

/**
 * The SQL of webhook subscriptions and their deliveries beyond the entities' own finders. In the caller's transaction,
 * but for the delivery worker's statements (its claims and attempts), which run on the Vert.x pool, each in a
 * transaction of its own: service's package-info says why.
 */
@ApplicationScoped
public class WebhookRepository {

    /** A delivery the worker claimed, with what its POST needs. */
    public record Claimed(long id, UUID eventId, String payload, int attempts, String url, String secret,
            UUID subscriptionId, UUID leadId) {
    }

    private static final String CLAIM = """
            update webhook_delivery d
               set leased_until = now() + make_interval(secs => $2), attempts = d.attempts + 1
              from webhook_subscription s
             where s.id = d.subscription_id
               and d.id in (select c.id from webhook_delivery c
                             where c.state = 'PENDING' and not c.waiting and c.next_attempt_at <= now()
                               and (c.leased_until is null or c.leased_until < now())
                               and not exists (select 1 from webhook_delivery e
                                                where e.subscription_id = c.subscription_id
                                                  and e.lead_id = c.lead_id and e.state = 'PENDING'
                                                  and (e.sequence < c.sequence
                                                       or (e.sequence = c.sequence and e.id < c.id)))
                             order by c.next_attempt_at, c.id
                             limit $1
                             for update of c skip locked)
            returning d.id, d.event_id, d.payload, d.attempts, s.url, s.secret, d.subscription_id, d.lead_id
            """;

    /** The next delivery of the (subscription, lead) after one was delivered stops waiting. */
    private static final String RELEASE_NEXT = """
            update webhook_delivery set waiting = false
             where id = (select n.id from webhook_delivery n
                          where n.subscription_id = $1 and n.lead_id = $2 and n.state = 'PENDING'
                          order by n.sequence, n.id limit 1)
               and waiting
            """;

    /**
     * The safety net of {@link #RELEASE_NEXT}: a delivery the fan-out inserted as waiting while the one before it was
     * being delivered (the release ran before the fan-out committed, so it could not see it) has nothing to wait for.
     * Such a delivery is at most as old as the longest lead transaction; the net looks back the window it is given.
     */
    private static final String REPAIR = """
            update webhook_delivery c set waiting = false
             where c.state = 'PENDING' and c.waiting and c.created_at > now() - make_interval(secs => $1)
               and not exists (select 1 from webhook_delivery e
                                where e.subscription_id = c.subscription_id
                                  and e.lead_id = c.lead_id and e.state = 'PENDING'
                                  and (e.sequence < c.sequence
                                       or (e.sequence = c.sequence and e.id < c.id)))
            """;

    @Inject
    Pool pool;

    /** The subscription's pending deliveries are cancelled. */
    public Uni<Void> cancelPending(UUID subscriptionId) {
        return Panache.getSession().chain(session -> session.createNativeQuery(
                "update webhook_delivery set state = 'CANCELLED', leased_until = null "
                        + "where subscription_id = ?1 and state = 'PENDING'")
                .setParameter(1, subscriptionId).executeUpdate())
                .replaceWithVoid();
    }

    /**
     * One pending delivery of each event per live subscription to its type, in one statement whatever the number of
     * events (arrays, rows in list order); the unique (subscription, event) pair makes a second fan-out of one event
     * create none. A delivery behind a pending one of the same subscription and lead waits (it is not claimed) until
     * the worker, having delivered that one, lets it go: one pending before this statement, or an earlier event of the
     * same lead in it.
     */
    public Uni<Void> fanOut(UUID[] eventIds, String[] eventTypes, UUID[] leadIds, Long[] sequences, String[] payloads) {
        // the deliveries this reads are written by statement too (here and by the worker, in its own transactions):
        // nothing the session holds changes what this writes, so the session is not flushed first
        return SessionSql.update(FAN_OUT, eventIds, eventTypes, leadIds, sequences, payloads).replaceWithVoid();
    }

    private static final String FAN_OUT = """
            insert into webhook_delivery (subscription_id, event_id, event_type, lead_id, sequence, payload, state,
                waiting, next_attempt_at, created_at)
            select s.id, e.id, e.type, e.lead_id, e.sequence, e.payload, 'PENDING',
                row_number() over (partition by s.id, e.lead_id order by e.ord) > 1
                    or exists (select 1 from webhook_delivery p
                               where p.subscription_id = s.id and p.lead_id = e.lead_id and p.state = 'PENDING'),
                now(), now()
            from unnest($1::uuid[], $2::text[], $3::uuid[], $4::bigint[], $5::text[])
                with ordinality as e(id, type, lead_id, sequence, payload, ord)
            join webhook_subscription s on s.deleted_at is null and e.type = any(string_to_array(s.events, ','))
            order by e.ord, s.id
            on conflict (subscription_id, event_id) do nothing""";

    // The delivery worker's statements, on the pool: 16 attempt transactions run at once, and a session runs one.

    /**
     * The deliveries created in the last {@code window} that wait for a delivery already made (see {@link #REPAIR})
     * stop waiting; how many did. A statement of its own.
     */
    public Uni<Integer> releaseWaitingForNothing(Duration window) {
        return pool.preparedQuery(REPAIR).execute(Tuple.of((double) window.toSeconds()))
                .map(rows -> rows.rowCount());
    }

    /**
     * Claims, in a transaction of its own, up to {@code limit} deliveries that can go now (at most the first pending
     * one of each subscription and lead), leased for {@code leaseSeconds} so no other replica takes them, each
     * claim counting as an attempt; skips those another transaction holds.
     */
    public Uni<List<Claimed>> claim(int limit, long leaseSeconds) {
        return pool.withTransaction(connection -> connection.preparedQuery(CLAIM)
                .execute(Tuple.of(limit, (double) leaseSeconds)))
                .map(rows -> {
                    List<Claimed> claimed = new ArrayList<>();
                    for (Row row : rows) {
                        claimed.add(new Claimed(row.getLong("id"), row.getUUID("event_id"), row.getString("payload"),
                                row.getInteger("attempts"), row.getString("url"), row.getString("secret"),
                                row.getUUID("subscription_id"), row.getUUID("lead_id")));
                    }
                    return claimed;
                });
    }

    /**
     * The claimed delivery was delivered, in a transaction of its own: the attempt is recorded, the delivery is
     * DELIVERED (its lease gone), and the next pending delivery of its subscription and lead stops waiting.
     */
    public Uni<Void> delivered(Claimed delivery, Integer status, String error, long durationMs) {
        Tuple attempt = Tuple.of(delivery.id(), status, error, durationMs);
        return pool.withTransaction(connection -> connection.preparedQuery(
                "insert into webhook_attempt (delivery_id, at, status, error, duration_ms) "
                        + "values ($1, now(), $2, $3, $4)")
                .execute(attempt)
                .chain(() -> connection.preparedQuery("update webhook_delivery set state = 'DELIVERED', "
                        + "delivered_at = now(), leased_until = null, last_status = $2, last_error = null "
                        + "where id = $1 and state = 'PENDING'")
                        .execute(Tuple.of(delivery.id(), status)))
                .chain(() -> connection.preparedQuery(RELEASE_NEXT)
                        .execute(Tuple.of(delivery.subscriptionId(), delivery.leadId()))))
                .replaceWithVoid();
    }

    /**
     * The claimed delivery's attempt failed, in a transaction of its own: the attempt is recorded, the lease released,
     * and the next attempt is due in {@code retryInSeconds}.
     */
    public Uni<Void> failed(Claimed delivery, Integer status, String error, long durationMs, double retryInSeconds) {
        Tuple attempt = Tuple.of(delivery.id(), status, error, durationMs);
        return pool.withTransaction(connection -> connection.preparedQuery(
                "insert into webhook_attempt (delivery_id, at, status, error, duration_ms) values ($1, now(), $2, $3, $4)")
                .execute(attempt)
                .chain(() -> connection.preparedQuery("update webhook_delivery set leased_until = null, "
                        + "next_attempt_at = now() + make_interval(secs => $2), last_status = $3, last_error = $4 "
                        + "where id = $1 and state = 'PENDING'")
                        .execute(Tuple.of(delivery.id(), retryInSeconds, status, error))))
                .replaceWithVoid();
    }
}
