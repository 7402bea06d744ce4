package io.leadsuite.scoring.domain;

import java.time.Instant;
import java.util.Map;

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
}
