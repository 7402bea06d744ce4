package io.leadsuite.lead.service.topic;

import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.eclipse.microprofile.config.inject.ConfigProperty;

import io.leadsuite.kit.cache.RecentCopy;
import io.leadsuite.kit.domain.InvalidValues;
import io.leadsuite.kit.domain.Violation;
import io.leadsuite.lead.domain.TopicSlug;
import io.leadsuite.lead.domain.UnknownNames;
import io.leadsuite.lead.repository.TopicRepository;
import io.leadsuite.lead.repository.TopicRepository.Topic;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.quarkus.hibernate.reactive.panache.common.WithSession;
import io.smallrye.mutiny.Uni;

/**
 * The managed list of topics (products or services of interest), each an id ("solar-panels") with a display name
 * ("Solar panels"). A capture, a new lead, an import row or a patch may name a topic in any spelling of its id or
 * name: it is one interest. A topic not in the list is, by {@code leadsuite.topics.unknown}, either added to it
 * (REGISTER, the default) or refused (REFUSE: 422 naming the field).
 */
@ApplicationScoped
public class Topics {

    public static final Pattern ID = Pattern.compile("^[a-z0-9]+(-[a-z0-9]+)*$");

    /** How long a topic another replica adds or renames may take to count here (this replica's own count at once). */
    static final Duration KNOWN_MAX_AGE = Duration.ofSeconds(1);

    @ConfigProperty(name = "leadsuite.topics.unknown", defaultValue = "REGISTER")
    UnknownNames unknown;
    @Inject
    TopicRepository repository;

    private final RecentCopy<TopicIndex> known = new RecentCopy<>(KNOWN_MAX_AGE);

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
        // the list from a recent copy (one statement a second, not one a capture); a topic not in it is looked up in
        // the table, where another replica's new topic already is
        return known.get(() -> repository.keys().map(TopicIndex::new))
                .map(index -> index.find(lower, slug))
                .chain(inCopy -> inCopy.isPresent() ? Uni.createFrom().item(inCopy)
                        : repository.find(lower, slug))
                .chain(found -> {
                    if (found.isPresent()) {
                        return Uni.createFrom().item(found.get());
                    }
                    if (unknown == UnknownNames.REFUSE) {
                        return Uni.createFrom().failure(new InvalidValues("Unknown topic '" + topic.strip() + "'",
                                List.of(new Violation(field, "not in the list of topics (GET /topics); an admin adds it with "
                                        + "PUT /topics/" + (slug.isEmpty() ? "<id>" : slug)))));
                    }
                    return repository.register(lower, topic.strip()).invoke(known::invalidate).replaceWith(lower);
                });
    }

    @WithSession
    public Uni<List<Topic>> list() {
        return repository.list();
    }

    /** Adds a topic or renames it (admin); the id must be a slug. */
    public Uni<Topic> put(String id, String name) {
        if (!ID.matcher(id).matches() || id.length() > 100) {
            throw new InvalidValues("Not a topic id: '" + id + "'", List.of(new Violation("id",
                    "lower-case letters and digits in words joined by single dashes, e.g. solar-panels")));
        }
        return Panache.withTransaction(() -> repository.put(id, name.strip())).invoke(known::invalidate);
    }
}
