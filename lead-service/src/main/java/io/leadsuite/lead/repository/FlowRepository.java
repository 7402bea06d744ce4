package io.leadsuite.lead.repository;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import io.leadsuite.kit.sql.SessionSql;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;

/**
 * The versions of flows ({@code flow}): each (id, version) is written once with its definition as JSON and never
 * changes. In the caller's session or transaction; the built-in flows' install, at start-up, on the Vert.x pool.
 */
@ApplicationScoped
public class FlowRepository {

    @Inject
    Pool pool;

    /** The definition of one version of a flow, as JSON. */
    public Uni<Optional<String>> definition(String id, int version) {
        return Panache.getSession()
                .chain(s -> s.createNativeQuery("select cast(definition as text) from flow where id = ?1 and version = ?2",
                        String.class)
                        .setParameter(1, id).setParameter(2, version)
                        .getResultList())
                .map(rows -> rows.stream().findFirst());
    }

    /** The definitions of the newest version of every flow, by id. */
    public Uni<List<String>> latestDefinitions() {
        return Panache.getSession()
                .chain(s -> s.createNativeQuery("select cast(definition as text) from flow f where version = "
                        + "(select max(version) from flow g where g.id = f.id) order by id", String.class)
                        .getResultList());
    }

    /** The number of the flow's newest version; null when there is no such flow. */
    public Uni<Integer> latestVersion(String id) {
        return SessionSql.column(Integer.class, "select max(version) from flow where id = $1", id)
                .map(versions -> versions.get(0));
    }

    /** The number of every flow's newest version, by flow id. */
    public Uni<Map<String, Integer>> latestVersions() {
        return SessionSql.select("select id, max(version) from flow group by id").map(rows -> {
            Map<String, Integer> versions = new HashMap<>();
            rows.forEach(row -> versions.put((String) row[0], ((Number) row[1]).intValue()));
            return versions;
        });
    }

    /** Whether a flow with this id exists (in any version). */
    public Uni<Boolean> exists(String id) {
        return Panache.getSession()
                .chain(s -> s.createNativeQuery("select count(*) from flow where id = ?1", Long.class)
                        .setParameter(1, id).getSingleResult())
                .map(count -> count > 0);
    }

    /**
     * Writes a version with its definition. Two writers of one version: the second fails on the primary key (a
     * unique violation).
     */
    public Uni<Void> insert(String id, int version, String definition) {
        return Panache.getSession().chain(s -> s.createNativeQuery(
                "insert into flow (id, version, definition) values (?1, ?2, cast(cast(?3 as text) as jsonb))")
                .setParameter(1, id).setParameter(2, version).setParameter(3, definition)
                .executeUpdate())
                .replaceWithVoid();
    }

    /**
     * Writes a version with its definition unless that version is there; whether it wrote it. For the built-in flows
     * at start-up: on the Vert.x pool, in a statement of its own.
     */
    public Uni<Boolean> installIfAbsent(String id, int version, String definition) {
        // the pool, not the session: at start-up there is no Vert.x context for a Hibernate Reactive session yet
        return pool.preparedQuery("insert into flow (id, version, definition) values ($1, $2, $3::text::jsonb) "
                + "on conflict (id, version) do nothing")
                .execute(Tuple.of(id, version, definition))
                .map(rows -> rows.rowCount() == 1);
    }
}
