package io.leadsuite.scoring.domain;

import java.time.Instant;
import java.util.HashMap;
import java.util.Map;

import io.vertx.core.json.JsonArray;

/**
 * What rules look at in an interaction.
 *
 * @param type a normalised interaction type (see {@link InteractionTypes})
 * @param attributes scalar values (text, numbers, booleans) or lists of them, by name
 */
public record InteractionFacts(String id, String type, Instant occurredAt, Map<String, Object> attributes) {

    public InteractionFacts {
        attributes = attributes == null ? Map.of() : attributes;
    }

    /** What rules look at in a stored interaction (its JSON lists as lists). */
    public static InteractionFacts of(Interaction interaction) {
        Map<String, Object> attributes = new HashMap<>();
        if (interaction.attributesJson != null) {
            interaction.attributes().forEach(e -> attributes.put(e.getKey(),
                    e.getValue() instanceof JsonArray list ? list.getList() : e.getValue()));
        }
        return new InteractionFacts(interaction.id, interaction.type, interaction.occurredAt, attributes);
    }

    /** What rules look at in an interaction as accepted. */
    public static InteractionFacts of(InteractionInput input) {
        return new InteractionFacts(input.id(), input.type(), input.occurredAt(), input.attributes());
    }
}
