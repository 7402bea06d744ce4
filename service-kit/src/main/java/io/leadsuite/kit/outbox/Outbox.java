package io.leadsuite.kit.outbox;

import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.FlushModeType;

import io.leadsuite.contracts.Envelope;
import io.leadsuite.kit.event.EventCodec;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;

/**
 * Writes outgoing events into the {@code outbox_message} table inside the caller's transaction, so the state change
 * and its events commit or roll back together. {@link OutboxRelay} sends them to the broker after commit.
 * <p>
 * The statement touches no table an entity maps, so it does not make Hibernate flush the session first (flush mode
 * COMMIT on the statement): with the default AUTO, every native statement dirty-checks every entity of the session,
 * which makes a transaction that applies a batch quadratic in its size.
 */
@ApplicationScoped
public class Outbox {

    /** Rows per statement: 5 parameters each, well under PostgreSQL's 65,535. */
    private static final int ROWS_PER_STATEMENT = 500;

    private final EventCodec codec;

    public Outbox(EventCodec codec) {
        this.codec = codec;
    }

    /** Must be called inside a reactive transaction (a {@code @WithTransaction} method). */
    public Uni<Void> add(Envelope<?> event) {
        return addAll(List.of(event));
    }

    /** The events in one multi-row insert (per 500), in list order; inside a reactive transaction. */
    public Uni<Void> addAll(List<? extends Envelope<?>> events) {
        if (events.isEmpty()) {
            return Uni.createFrom().voidItem();
        }
        if (events.size() <= ROWS_PER_STATEMENT) {
            return insert(events);
        }
        List<List<? extends Envelope<?>>> chunks = new java.util.ArrayList<>();
        for (int i = 0; i < events.size(); i += ROWS_PER_STATEMENT) {
            chunks.add(events.subList(i, Math.min(events.size(), i + ROWS_PER_STATEMENT)));
        }
        return Multi.createFrom().iterable(chunks).onItem().transformToUniAndConcatenate(this::insert)
                .collect().last().replaceWithVoid();
    }

    private Uni<Void> insert(List<? extends Envelope<?>> events) {
        StringBuilder sql = new StringBuilder(
                "insert into outbox_message (message_id, type, subject, sequence, payload) values ");
        for (int i = 0; i < events.size(); i++) {
            int p = 5 * i;
            sql.append(i == 0 ? "(" : ", (").append('?').append(p + 1).append(", ?").append(p + 2).append(", ?")
                    .append(p + 3).append(", ?").append(p + 4).append(", cast(cast(?").append(p + 5)
                    .append(" as text) as jsonb))");
        }
        return Panache.getSession().chain(session -> {
            var query = session.createNativeQuery(sql.toString());
            query.setFlushMode(FlushModeType.COMMIT);
            for (int i = 0; i < events.size(); i++) {
                Envelope<?> event = events.get(i);
                int p = 5 * i;
                query.setParameter(p + 1, event.id());
                query.setParameter(p + 2, event.type());
                query.setParameter(p + 3, event.subject());
                query.setParameter(p + 4, event.sequence());
                query.setParameter(p + 5, codec.encode(event));
            }
            return query.executeUpdate();
        }).replaceWithVoid();
    }
}
