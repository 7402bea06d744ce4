package io.leadsuite.kit.outbox;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.List;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import io.leadsuite.contracts.Envelope;
import io.leadsuite.kit.event.EventCodec;
import io.leadsuite.kit.sql.SessionSql;
import io.leadsuite.kit.tracing.MessageTraces;
import io.smallrye.mutiny.Uni;

/**
 * Writes outgoing events into the {@code outbox_message} table inside the caller's transaction, so the state change
 * and its events commit or roll back together. {@link OutboxRelay} sends them to the broker after commit. The one
 * writer of the outbox: in a reactive transaction ({@link #addAll(List)}) or, for work that runs on a JDBC
 * connection, in that connection's transaction ({@link #addAll(Connection, List)}); both run the same statement.
 * <p>
 * Each row keeps the W3C {@code traceparent} of the span that wrote it (null with tracing off), so the trace goes on
 * through the relay and the broker (see {@link MessageTraces}).
 * <p>
 * The statement takes the events as six arrays ({@code unnest ... with ordinality}, rows in list order): one statement
 * text whatever the number of events, so the database and Hibernate prepare it once. It touches no table an entity
 * maps, so it does not make Hibernate flush the session first (flush mode COMMIT on the statement): with the default
 * AUTO, every native statement dirty-checks every entity of the session, which makes a transaction that applies a
 * batch quadratic in its size.
 */
@ApplicationScoped
public class Outbox {

    private static final String INSERT = "insert into outbox_message (message_id, type, subject, sequence, payload, "
            + "traceparent) select u.m, u.t, u.s, u.q, cast(u.p as jsonb), u.tp from unnest(cast(?1 as uuid[]), "
            + "cast(?2 as text[]), cast(?3 as uuid[]), cast(?4 as bigint[]), cast(?5 as text[]), cast(?6 as text[])) "
            + "with ordinality as u(m, t, s, q, p, tp, ord) order by u.ord";

    @Inject
    EventCodec codec;

    /** Must be called inside a reactive transaction (a {@code @WithTransaction} method). */
    public Uni<Void> add(Envelope<?> event) {
        return addAll(List.of(event));
    }

    /** The events in one statement, in list order; inside a reactive transaction. */
    public Uni<Void> addAll(List<? extends Envelope<?>> events) {
        return addRows(events.stream().map(this::row).toList());
    }

    /**
     * An event as its outbox row will hold it, encoded and with the {@code traceparent} of the span current now: for a
     * caller that writes the rows later ({@link #addRows}), after work that ran in other spans, or that needs the
     * encoded envelope for something else too.
     */
    public Row row(Envelope<?> event) {
        return new Row(event, codec.encode(event), MessageTraces.traceparent(event.subject()));
    }

    /** An outgoing event, its envelope as JSON text and the trace it continues (null with tracing off). */
    public record Row(Envelope<?> event, String payload, String traceparent) {
    }

    /** The rows in one statement, in list order; inside a reactive transaction. */
    public Uni<Void> addRows(List<Row> rows) {
        if (rows.isEmpty()) {
            return Uni.createFrom().voidItem();
        }
        // the outbox's own table: nothing the session holds changes what this writes, so it is not flushed first
        return SessionSql.executeWithoutFlush(session -> {
            var query = session.createNativeQuery(INSERT);
            query.setParameter(1, rows.stream().map(row -> row.event().id()).toArray(UUID[]::new));
            query.setParameter(2, rows.stream().map(row -> row.event().type()).toArray(String[]::new));
            query.setParameter(3, rows.stream().map(row -> row.event().subject()).toArray(UUID[]::new));
            query.setParameter(4, rows.stream().map(row -> row.event().sequence()).toArray(Long[]::new));
            query.setParameter(5, rows.stream().map(Row::payload).toArray(String[]::new));
            query.setParameter(6, rows.stream().map(Row::traceparent).toArray(String[]::new));
            return query;
        }).replaceWithVoid();
    }

    /** The events in one statement, in list order, in the transaction of this JDBC connection. */
    public void addAll(Connection connection, List<? extends Envelope<?>> events) throws SQLException {
        if (events.isEmpty()) {
            return;
        }
        try (PreparedStatement statement = connection.prepareStatement(INSERT.replaceAll("\\?\\d", "?"))) {
            statement.setArray(1, connection.createArrayOf("uuid", events.stream().map(Envelope::id).toArray()));
            statement.setArray(2, connection.createArrayOf("text", events.stream().map(Envelope::type).toArray()));
            statement.setArray(3, connection.createArrayOf("uuid", events.stream().map(Envelope::subject).toArray()));
            statement.setArray(4, connection.createArrayOf("bigint", events.stream().map(Envelope::sequence).toArray()));
            statement.setArray(5, connection.createArrayOf("text", events.stream().map(codec::encode).toArray()));
            statement.setArray(6, connection.createArrayOf("text", traceparents(events)));
            statement.executeUpdate();
        }
    }

    private static String[] traceparents(List<? extends Envelope<?>> events) {
        String[] traceparents = new String[events.size()];
        for (int i = 0; i < traceparents.length; i++) {
            traceparents[i] = MessageTraces.traceparent(events.get(i).subject());
        }
        return traceparents;
    }
}
