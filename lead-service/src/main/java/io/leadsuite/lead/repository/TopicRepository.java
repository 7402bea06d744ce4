package io.leadsuite.lead.repository;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;

import io.leadsuite.kit.sql.SessionSql;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;

/** The managed list of topics ({@code topic}). In the caller's session or transaction. */
@ApplicationScoped
public class TopicRepository {

    public record Topic(String id, String name, Instant createdAt, Instant updatedAt) {
    }

    /** A topic's slug in SQL, of a column (as {@code TopicSlug} makes it in Java). */
    private static final String SLUG_SQL = "trim(both '-' from regexp_replace(lower(%s), '[[:space:]._-]+', '-', 'g'))";

    /**
     * The id of the topic whose id or display name is {@code lower} (lower-cased) or whose slug of either is
     * {@code slug}: an exact id first, then an exact name, then the first id.
     */
    public Uni<Optional<String>> find(String lower, String slug) {
        return SessionSql.column(String.class, "select id from topic where id = $1 or lower(name) = $1 or "
                + SLUG_SQL.formatted("id") + " = $2 or " + SLUG_SQL.formatted("name") + " = $2 order by (id = $1) "
                + "desc, (lower(name) = $1) desc, id limit 1", lower, slug)
                .map(found -> found.stream().findFirst());
    }

    /** A topic's id with what a look-up compares: its lower-cased name and the slugs of its id and name. */
    public record TopicKeys(String id, String lowerName, String idSlug, String nameSlug) {
    }

    /** Every topic's look-up keys, computed here as {@link #find} computes them. */
    public Uni<List<TopicKeys>> keys() {
        return SessionSql.select("select id, lower(name), " + SLUG_SQL.formatted("id") + ", "
                + SLUG_SQL.formatted("name") + " from topic")
                .map(rows -> rows.stream().map(row -> new TopicKeys((String) row[0], (String) row[1], (String) row[2],
                        (String) row[3])).toList());
    }

    /** Adds the topic unless its id is taken. */
    public Uni<Void> register(String id, String name) {
        return SessionSql.executeWithoutFlush(s -> s.createNativeQuery("insert into topic (id, name) values (?1, ?2) "
                + "on conflict (id) do nothing").setParameter(1, id).setParameter(2, name))
                .replaceWithVoid();
    }

    /** Every topic, by id. */
    public Uni<List<Topic>> list() {
        return Panache.getSession().chain(s -> s.createNativeQuery(
                "select id, name, created_at, updated_at from topic order by id", Object[].class).getResultList())
                .map(rows -> rows.stream().map(TopicRepository::topic).toList());
    }

    /** Adds the topic or renames it. */
    public Uni<Topic> put(String id, String name) {
        return Panache.getSession().chain(s -> s.createNativeQuery(
                "insert into topic (id, name) values (?1, ?2) on conflict (id) do update set name = excluded.name, "
                        + "updated_at = now() returning id, name, created_at, updated_at",
                Object[].class).setParameter(1, id).setParameter(2, name).getSingleResult())
                .map(TopicRepository::topic);
    }

    private static Topic topic(Object[] row) {
        return new Topic((String) row[0], (String) row[1], RowValues.instant(row[2]), RowValues.instant(row[3]));
    }
}
