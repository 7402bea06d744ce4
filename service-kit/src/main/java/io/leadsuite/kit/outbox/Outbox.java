package io.leadsuite.kit.outbox;

import jakarta.enterprise.context.ApplicationScoped;

import io.leadsuite.contracts.Envelope;
import io.leadsuite.kit.event.EventCodec;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;

/**
 * Writes an outgoing event into the {@code outbox_message} table inside the caller's transaction, so the state change
 * and its event commit or roll back together. {@link OutboxRelay} sends it to the broker after commit.
 */
@ApplicationScoped
public class Outbox {

    private final EventCodec codec;

    public Outbox(EventCodec codec) {
        this.codec = codec;
    }

    /** Must be called inside a reactive transaction (a {@code @WithTransaction} method). */
    public Uni<Void> add(Envelope<?> event) {
        String payload = codec.encode(event);
        return Panache.getSession()
                .chain(session -> session.createNativeQuery(
                        "insert into outbox_message (message_id, type, subject, sequence, payload) "
                                + "values (?1, ?2, ?3, ?4, cast(cast(?5 as text) as jsonb))")
                        .setParameter(1, event.id())
                        .setParameter(2, event.type())
                        .setParameter(3, event.subject())
                        .setParameter(4, event.sequence())
                        .setParameter(5, payload)
                        .executeUpdate())
                .replaceWithVoid();
    }
}
