package io.leadsuite.scoring.domain;

import java.time.Instant;
import java.util.Map;
import java.util.UUID;

/**
 * A validated interaction, ready to store.
 *
 * @param type normalised (see {@link InteractionTypes})
 * @param email normalised, or null; used only when {@code contactId} is null
 * @param topic trimmed, or null for every topic
 * @param attributes scalars (text, numbers, booleans) or lists of them
 */
public record InteractionInput(String id, String type, UUID contactId, String email, UUID leadId, String topic,
        Instant occurredAt, Map<String, Object> attributes) {
}
