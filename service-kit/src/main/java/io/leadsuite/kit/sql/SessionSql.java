package io.leadsuite.kit.sql;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

import org.hibernate.FlushMode;
import org.hibernate.reactive.mutiny.Mutiny;
import org.hibernate.reactive.mutiny.impl.MutinySessionImpl;
import org.hibernate.reactive.pool.ReactiveConnection;

import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;

/**
 * Runs a SQL select on the connection of the current reactive session, so in its transaction, without Hibernate's
 * query machinery. For the selects of the hot paths (inbox claims, advisory locks, lookups per message) only.
 * <p>
 * Why: Hibernate Reactive 3.1 never finds a native select's plan in the query plan cache. The cache key holds the
 * query's result-set mapping, which Hibernate Reactive wraps in a {@code ReactiveResultSetMapping} without
 * {@code equals}/{@code hashCode}, so every execution of a native select builds its plan again and stores one more
 * copy under the same hash. The copies fill the cache (2,048 entries), every lookup compares against them, and the
 * HQL plans the services do reuse are evicted and rebuilt: in the profiles of the pipeline benchmark, building and
 * looking up plans was 9 % of lead-service's and 14 % of scoring-service's CPU. Native updates are not affected
 * (their key is the SQL text), so they stay on {@code createNativeQuery(...).executeUpdate()}; those that need not
 * see the session's pending changes run through {@link #executeWithoutFlush}.
 * <p>
 * Careful with a single array parameter: {@code select(sql, ids)} with {@code UUID[] ids} passes the array as the
 * parameter list; write {@code select(sql, (Object) ids)}.
 * <p>
 * What the caller gives up: parameters are PostgreSQL's {@code $1, $2, ...}, bound as the Vert.x PostgreSQL client
 * binds them (UUID, String, Integer, Long, Boolean, arrays of those, {@code OffsetDateTime}); rows come back as the
 * client decodes them ({@code timestamptz} as {@code OffsetDateTime}); and the session is not flushed first, so a
 * select that must see the transaction's own pending entity changes flushes the session before.
 */
public final class SessionSql {

    private SessionSql() {
    }

    /** The rows the select answers, each as its column values in order. Runs on the current session's connection. */
    public static Uni<List<Object[]>> select(String sql, Object... parameters) {
        return Panache.getSession().chain(session -> select(session, sql, parameters));
    }

    /** As {@link #select(String, Object...)}, on the given session's connection. */
    public static Uni<List<Object[]>> select(Mutiny.Session session, String sql, Object... parameters) {
        ReactiveConnection connection = connection(session);
        return Uni.createFrom().completionStage(() -> connection.select(sql, parameters.clone())).map(result -> {
            List<Object[]> rows = new ArrayList<>(result.size());
            result.forEachRemaining(rows::add);
            return rows;
        });
    }

    /**
     * Runs an insert, update or delete on the current session's connection; yields the rows it changed. For statements
     * whose text would otherwise change with the size of a batch (multi-row {@code values}): each text is one more
     * entry in the plan cache, so such statements take arrays ({@code unnest($1::uuid[], ...)}) and run from here. The
     * session is not flushed first.
     */
    public static Uni<Integer> update(String sql, Object... parameters) {
        return Panache.getSession().chain(session -> {
            ReactiveConnection connection = connection(session);
            return Uni.createFrom().completionStage(() -> connection.update(sql, parameters.clone()));
        });
    }

    /**
     * Executes a native insert, update or delete built on the current session, in its transaction, without flushing
     * the session first. For statements that neither read a table whose rows the session may still hold unwritten
     * nor need such a row to exist (a foreign key to a new entity): they run before the session's changes are written.
     * <p>
     * Why: Hibernate Reactive 3.1 ignores a native mutation's own flush mode ({@code setFlushMode(COMMIT)} on the query
     * changes nothing; only selects honour it). Before every native insert, update or delete it runs the auto-flush
     * check whenever the session holds an entity, and that check dirty-checks and cascades over every entity the
     * session holds (it writes nothing unless the statement declares tables those changes touch). In a consumer's
     * batch holding a few hundred leads, each event's outbox row, webhook fan-out and SLA statement went over all of
     * them: in the profile of lead-service's score batches during the freshness benchmark, 45 of 65 samples were in
     * that check. So the session's flush mode is {@code COMMIT} while the statement runs.
     */
    public static Uni<Integer> executeWithoutFlush(Function<Mutiny.Session, Mutiny.MutationQuery> statement) {
        return Panache.getSession().chain(session -> Uni.createFrom().deferred(() -> {
            FlushMode before = session.getFlushMode();
            session.setFlushMode(FlushMode.COMMIT);
            return statement.apply(session).executeUpdate().eventually(() -> session.setFlushMode(before));
        }));
    }

    /** The first column of every row the select answers. */
    public static <T> Uni<List<T>> column(Class<T> type, String sql, Object... parameters) {
        return select(sql, parameters).map(rows -> {
            List<T> values = new ArrayList<>(rows.size());
            rows.forEach(row -> values.add(type.cast(row[0])));
            return values;
        });
    }

    private static ReactiveConnection connection(Mutiny.Session session) {
        if (session instanceof MutinySessionImpl reactive) {
            return reactive.getReactiveConnection();
        }
        throw new IllegalStateException("Not a Hibernate Reactive session: " + session.getClass().getName());
    }
}
