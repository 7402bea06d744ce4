package io.leadsuite.lead.service.topic;

import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import io.leadsuite.lead.repository.TopicRepository.TopicKeys;

/**
 * The list of topics as a capture looks one up: by id, by lower-cased display name, or by the slug of either (the
 * database's own lower-casing and slugs, read with the list, so that a topic found here is the one
 * {@link io.leadsuite.lead.repository.TopicRepository#find} finds). The same order as there: an exact id first, then an
 * exact name, then the first id among the slugs that match.
 */
final class TopicIndex {

    private final Set<String> ids = new HashSet<>();
    private final Map<String, String> byName = new HashMap<>();
    private final Map<String, String> bySlug = new HashMap<>();

    TopicIndex(List<TopicKeys> topics) {
        for (TopicKeys topic : topics) {
            ids.add(topic.id());
            first(byName, topic.lowerName(), topic.id());
            first(bySlug, topic.idSlug(), topic.id());
            first(bySlug, topic.nameSlug(), topic.id());
        }
    }

    /** The id of the topic {@code lower} (lower-cased, stripped) or {@code slug} names; empty when none does. */
    Optional<String> find(String lower, String slug) {
        if (ids.contains(lower)) {
            return Optional.of(lower);
        }
        String named = byName.get(lower);
        return Optional.ofNullable(named != null ? named : bySlug.get(slug));
    }

    private static void first(Map<String, String> index, String key, String id) {
        if (key != null) {
            index.merge(key, id, (a, b) -> a.compareTo(b) <= 0 ? a : b);
        }
    }
}
