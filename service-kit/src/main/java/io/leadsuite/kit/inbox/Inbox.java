package io.leadsuite.kit.inbox;

import java.util.Map;
import java.util.function.Supplier;

import jakarta.enterprise.context.ApplicationScoped;

import org.jboss.logging.Logger;

import io.leadsuite.contracts.Envelope;
import io.leadsuite.kit.event.EventCodec;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;

/**
 * Makes consumers idempotent: the id of every applied message is recorded in {@code processed_message} in the same
 * transaction as its effect. A redelivered message finds its id and changes nothing; two replicas racing on one
 * message collide on the primary key and one of them rolls back and is redelivered, then skipped.
 */
@ApplicationScoped
public class Inbox {

    private static final Logger LOG = Logger.getLogger(Inbox.class);

    private final EventCodec codec;

    public Inbox(EventCodec codec) {
        this.codec = codec;
    }

    /** The start of a consumer's handlers for the messages of one address; add them with {@code on(...)}. */
    public EventHandlers handlers(String address) {
        return new EventHandlers(address, codec, this, Map.of());
    }

    /**
     * Runs {@code effect} unless the message was applied before. Must be called inside a reactive transaction.
     */
    public Uni<Void> applyOnce(Envelope<?> message, Supplier<Uni<Void>> effect) {
        return Panache.getSession()
                .chain(session -> session.createNativeQuery(
                        "insert into processed_message (message_id, type) values (?1, ?2) on conflict do nothing")
                        .setParameter(1, message.id())
                        .setParameter(2, message.type())
                        .executeUpdate())
                .chain(inserted -> {
                    if (inserted == 0) {
                        LOG.debugf("Skipping %s %s: already applied", message.type(), message.id());
                        return Uni.createFrom().voidItem();
                    }
                    return effect.get();
                });
    }
}
