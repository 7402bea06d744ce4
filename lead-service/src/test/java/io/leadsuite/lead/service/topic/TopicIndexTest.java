package io.leadsuite.lead.service.topic;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.Optional;

import org.junit.jupiter.api.Test;

import io.leadsuite.lead.domain.TopicSlug;
import io.leadsuite.lead.repository.TopicRepository.TopicKeys;

/** The look-up a capture makes in the copy of the topic list finds what the table's look-up finds, in its order. */
class TopicIndexTest {

    private static TopicKeys topic(String id, String name) {
        return new TopicKeys(id, name.toLowerCase(), TopicSlug.of(id), TopicSlug.of(name));
    }

    private static Optional<String> find(TopicIndex index, String written) {
        return index.find(written.strip().toLowerCase(), TopicSlug.of(written));
    }

    @Test
    void anExactIdComesFirstThenAnExactNameThenTheFirstIdWhoseSlugMatches() {
        TopicIndex index = new TopicIndex(List.of(
                topic("solar-panels", "Solar panels"),
                // a topic whose display name is another topic's id: that id still wins for that spelling
                topic("pv", "solar-panels"),
                // registered as written (REGISTER keeps the lower-cased text as the id)
                topic("heat pumps", "Heat Pumps"),
                topic("heat-pumps", "Heat pumps (air)"),
                topic("b-batteries", "Home batteries"),
                topic("a-batteries", "Home Batteries")));

        assertEquals(Optional.of("solar-panels"), find(index, "solar-panels"));
        // neither an id nor a name: among the slugs that match (solar-panels' id and name, pv's name) the first id
        assertEquals(Optional.of("pv"), find(index, "SOLAR_PANELS"));
        assertEquals(Optional.of("solar-panels"), find(index, "Solar Panels"), "an exact name");
        assertEquals(Optional.of("pv"), find(index, "PV"));
        assertEquals(Optional.of("heat pumps"), find(index, " Heat Pumps "), "the exact id before the slug of another");
        assertEquals(Optional.of("heat-pumps"), find(index, "Heat pumps (air)"), "an exact name");
        assertEquals(Optional.of("a-batteries"), find(index, "home batteries"),
                "two exact names: the first id");
        assertEquals(Optional.of("a-batteries"), find(index, "home_batteries"), "two slugs: the first id");
        assertEquals(Optional.empty(), find(index, "wind turbines"));
    }
}
