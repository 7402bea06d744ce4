package io.leadsuite.lead.service.topic;

import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.FlushModeType;

import org.eclipse.microprofile.config.inject.ConfigProperty;

import io.leadsuite.kit.problem.Problem.FieldError;
import io.leadsuite.kit.problem.ProblemException;
import io.leadsuite.kit.sql.SessionSql;
import io.leadsuite.lead.domain.TopicSlug;
import io.leadsuite.lead.repository.RowValues;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;

/**
 * The managed list of topics (products or services of interest), each an id ("solar-panels") with a display name
 * ("Solar panels"). A capture, a new lead, an import row or a patch may name a topic in any spelling of its id or
 * name: it is one interest. A topic not in the list is, by {@code leadsuite.topics.unknown}, either added to it
 * (REGISTER, the default) or refused (REFUSE: 422 naming the field).
 */
@ApplicationScoped
public class Topics {

    /** What happens to a topic that is not in the list. */
    public enum Unknown {
        REGISTER,
        REFUSE
    }

    public record Topic(String id, String name, Instant createdAt, Instant updatedAt) {
    }

    public static final Pattern ID = Pattern.compile("^[a-z0-9]+(-[a-z0-9]+)*$");
    /** {@link TopicSlug} in SQL, of a column. */
    private static final String SLUG_SQL = "trim(both '-' from regexp_replace(lower(%s), '[[:space:]._-]+', '-', 'g'))";

    private final Unknown unknown;

    public Topics(@ConfigProperty(name = "leadsuite.topics.unknown", defaultValue = "REGISTER") Unknown unknown) {
        this.unknown = unknown;
    }

    /**
     * The topic id a lead of this topic gets, in the caller's transaction. A topic of the list matches by its id or
     * its display name, each also in any spelling (the slugs compared: "Solar panels", "solar_panels" and
     * "SOLAR-PANELS" all find "solar-panels"). Otherwise (REGISTER) the topic joins the list, its id the lower-cased
     * topic and its name as written, or (REFUSE) 422.
     *
     * @param field the request field that named it, for the 422
     */
    public Uni<String> resolve(String topic, String field) {
        String lower = topic.strip().toLowerCase(Locale.ROOT);
        String slug = TopicSlug.of(topic);
        return Panache.getSession().chain(s -> SessionSql.column(String.class, "select id from topic where id = $1 "
                + "or lower(name) = $1 or " + SLUG_SQL.formatted("id") + " = $2 or " + SLUG_SQL.formatted("name")
                + " = $2 order by (id = $1) desc, (lower(name) = $1) desc, id limit 1", lower, slug)
                .chain(found -> {
                    if (!found.isEmpty()) {
                        return Uni.createFrom().item(found.get(0));
                    }
                    if (unknown == Unknown.REFUSE) {
                        return Uni.createFrom().failure(ProblemException.unprocessable("Unknown topic '" + topic.strip()
                                + "'",
                                List.of(new FieldError(field, "not in the list of topics (GET /topics); an "
                                        + "admin adds it with PUT /topics/" + (slug.isEmpty() ? "<id>" : slug)))));
                    }
                    return s.createNativeQuery("insert into topic (id, name) values (?1, ?2) on conflict (id) do "
                            + "nothing").setParameter(1, lower).setParameter(2, topic.strip())
                            .setFlushMode(FlushModeType.COMMIT).executeUpdate().replaceWith(lower);
                }));
    }

    public Uni<List<Topic>> list() {
        return Panache.withSession(() -> Panache.getSession().chain(s -> s.createNativeQuery(
                "select id, name, created_at, updated_at from topic order by id", Object[].class).getResultList()))
                .map(rows -> rows.stream().map(Topics::topic).toList());
    }

    /** Adds a topic or renames it (admin); the id must be a slug. */
    public Uni<Topic> put(String id, String name) {
        if (!ID.matcher(id).matches() || id.length() > 100) {
            throw ProblemException.unprocessable("Not a topic id: '" + id + "'", List.of(new FieldError("id",
                    "lower-case letters and digits in words joined by single dashes, e.g. solar-panels")));
        }
        return Panache.withTransaction(() -> Panache.getSession().chain(s -> s.createNativeQuery(
                "insert into topic (id, name) values (?1, ?2) on conflict (id) do update set name = excluded.name, "
                        + "updated_at = now() returning id, name, created_at, updated_at",
                Object[].class).setParameter(1, id).setParameter(2, name.strip()).getSingleResult()))
                .map(Topics::topic);
    }

    private static Topic topic(Object[] row) {
        return new Topic((String) row[0], (String) row[1], RowValues.instant(row[2]), RowValues.instant(row[3]));
    }
}
