package io.leadsuite.lead.repository;

import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import io.leadsuite.kit.sql.SessionSql;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;

/**
 * The SQL of webhook subscriptions and their deliveries beyond the entities' own finders. In the caller's transaction.
 * (The delivery worker's claims and attempts run on the Vert.x pool: service's package-info says why.)
 */
@ApplicationScoped
public class WebhookRepository {

    /** The subscription's pending deliveries are cancelled. */
    public Uni<Void> cancelPending(UUID subscriptionId) {
        return Panache.getSession().chain(session -> session.createNativeQuery(
                "update webhook_delivery set state = 'CANCELLED', leased_until = null "
                        + "where subscription_id = ?1 and state = 'PENDING'")
                .setParameter(1, subscriptionId).executeUpdate())
                .replaceWithVoid();
    }

    /**
     * One pending delivery of the event per live subscription to its type; the unique (subscription, event) pair makes
     * a second fan-out of one event create none. A delivery behind a pending one of the same subscription and lead
     * waits (it is not claimed) until the worker, having delivered that one, lets it go.
     */
    public Uni<Void> fanOut(UUID eventId, String eventType, UUID leadId, long sequence, String payload) {
        // the deliveries this reads are written by statement too (here and by the worker, in its own transactions):
        // nothing the session holds changes what this writes, so the session is not flushed first
        return SessionSql.executeWithoutFlush(session -> session.createNativeQuery(
                "insert into webhook_delivery (subscription_id, event_id, event_type, lead_id, sequence, payload, "
                        + "state, waiting, next_attempt_at, created_at) "
                        + "select s.id, ?1, ?2, ?3, ?4, ?5, 'PENDING', exists (select 1 from webhook_delivery e "
                        + "where e.subscription_id = s.id and e.lead_id = ?3 and e.state = 'PENDING'), now(), now() "
                        + "from webhook_subscription s "
                        + "where s.deleted_at is null and ?2 = any(string_to_array(s.events, ',')) "
                        + "on conflict (subscription_id, event_id) do nothing")
                .setParameter(1, eventId)
                .setParameter(2, eventType)
                .setParameter(3, leadId)
                .setParameter(4, sequence)
                .setParameter(5, payload))
                .replaceWithVoid();
    }
}
