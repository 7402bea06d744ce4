package io.leadsuite.kit.inbox;

import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.jboss.logging.Logger;

import io.leadsuite.contracts.Envelope;
import io.leadsuite.kit.event.EventCodec;
import io.leadsuite.kit.metrics.PipelineMetrics;
import io.leadsuite.kit.sql.SessionSql;
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

    @Inject
    EventCodec codec;
    @Inject
    PipelineMetrics metrics;

    /** The start of a consumer's handlers for the messages of one address; add them with {@code on(...)}. */
    public EventHandlers handlers(String address) {
        return new EventHandlers(address, codec, this, Map.of(), claimed -> Uni.createFrom().voidItem(),
                applied -> Uni.createFrom().voidItem(), null, true);
    }

    /**
     * Records the ids of a batch of messages in one statement and answers those that had not been applied before (a
     * message twice in the batch is claimed once). Must be called inside a reactive transaction, which then applies
     * the claimed messages' effects.
     */
    public Uni<Set<UUID>> claim(List<? extends Envelope<?>> messages) {
        if (messages.isEmpty()) {
            return Uni.createFrom().item(Set.of());
        }
        UUID[] ids = messages.stream().map(Envelope::id).toArray(UUID[]::new);
        String[] types = messages.stream().map(Envelope::type).toArray(String[]::new);
        // one statement whatever the batch's size; touches no entity's table, so no flush of the session first
        return SessionSql.column(UUID.class, "insert into processed_message (message_id, type) "
                + "select * from unnest($1::uuid[], $2::text[]) on conflict do nothing returning message_id", ids, types)
                .map(claimed -> {
                    if (claimed.size() < messages.size()) {
                        Set<UUID> fresh = new HashSet<>(claimed);
                        for (Envelope<?> message : messages) {
                            if (!fresh.remove(message.id())) {
                                metrics.duplicate(message.type());
                            }
                        }
                        LOG.debugf("Skipping %d of %d messages: already applied", messages.size() - claimed.size(),
                                messages.size());
                    }
                    return new HashSet<>(claimed);
                });
    }

    /**
     * Ends one message's part of a batch transaction: writes its changes and empties the session, so the next message
     * loads what it reads afresh (as it would in a transaction of its own) and the session does not grow with the
     * batch (Hibernate dirty-checks every entity of the session before each query).
     */
    public static Uni<Void> settle() {
        return Panache.getSession().chain(session -> session.flush().invoke(session::clear));
    }
}
