package io.leadsuite.scoring.service;

import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import com.fasterxml.jackson.databind.JsonNode;

import io.leadsuite.contracts.EmailAddress;
import io.leadsuite.kit.domain.InvalidValues;
import io.leadsuite.kit.domain.Unreadable;
import io.leadsuite.kit.domain.Violation;
import io.leadsuite.scoring.domain.InteractionInput;
import io.leadsuite.scoring.domain.InteractionTypes;

/**
 * Reads a submission of interactions, as {@code POST /interactions} and the interactions queue carry it: one
 * interaction object or an array of up to {@value #MAX_ITEMS}. Each item is checked on its own, so a bad item is
 * reported by its index and does not reject the good ones; a body that is no submission at all is refused whole.
 */
public final class InteractionBatch {

    public static final int MAX_ITEMS = 1000;
    static final int MAX_ID = 200;
    static final int MAX_TOPIC = 200;
    static final int MAX_ATTRIBUTES = 50;
    static final int MAX_ATTRIBUTE_NAME = 100;
    static final int MAX_TEXT = 2000;
    static final int MAX_LIST = 100;
    /** A campaign's id or name (lead-service's campaigns have names of at most this length). */
    static final int MAX_CAMPAIGN = 200;
    /** Interactions happen in the past; a little clock skew is tolerated. */
    static final Duration FUTURE_TOLERANCE = Duration.ofDays(1);
    static final Instant EARLIEST = Instant.parse("1970-01-01T00:00:00Z");

    /** An item that was refused: its index in the submission, its id when it had one, and each broken rule. */
    public record Rejected(int index, String id, List<Violation> violations) {
    }

    private final List<InteractionInput> valid = new ArrayList<>();
    private final List<Rejected> rejected = new ArrayList<>();

    private InteractionBatch() {
    }

    public List<InteractionInput> valid() {
        return valid;
    }

    public List<Rejected> rejected() {
        return rejected;
    }

    public static InteractionBatch read(JsonNode body, Instant now) {
        if (body == null || body.isMissingNode() || body.isNull()) {
            throw new Unreadable("The body must be an interaction object or an array of them");
        }
        List<JsonNode> items = new ArrayList<>();
        if (body.isArray()) {
            body.forEach(items::add);
        } else if (body.isObject()) {
            items.add(body);
        } else {
            throw new Unreadable("The body must be an interaction object or an array of them");
        }
        if (items.isEmpty()) {
            throw new InvalidValues("The request holds no interaction",
                    List.of(new Violation("items", "at least one interaction is required")));
        }
        if (items.size() > MAX_ITEMS) {
            throw new InvalidValues("At most " + MAX_ITEMS + " interactions per request",
                    List.of(new Violation("items", "at most " + MAX_ITEMS + " interactions per request")));
        }
        InteractionBatch batch = new InteractionBatch();
        for (int i = 0; i < items.size(); i++) {
            batch.readItem(i, items.get(i), now);
        }
        return batch;
    }

    private void readItem(int index, JsonNode item, Instant now) {
        List<Violation> errors = new ArrayList<>();
        if (!item.isObject()) {
            rejected.add(new Rejected(index, null, List.of(new Violation("", "must be an interaction object"))));
            return;
        }
        String id = text(item, "id", MAX_ID, true, errors);
        String rawType = text(item, "type", 120, true, errors);
        String type = null;
        if (rawType != null) {
            type = InteractionTypes.normalise(rawType).orElse(null);
            if (type == null) {
                errors.add(new Violation("type", "must be one of " + String.join(", ",
                        InteractionTypes.STANDARD.stream().sorted().toList()) + " or CUSTOM:<name>"));
            }
        }
        UUID contactId = uuid(item, "contactId", errors);
        UUID leadId = uuid(item, "leadId", errors);
        String rawEmail = text(item, "email", 254, false, errors);
        String email = null;
        if (rawEmail != null) {
            email = EmailAddress.normalise(rawEmail).orElse(null);
            if (email == null) {
                errors.add(new Violation("email", "must be a valid e-mail address"));
            }
        }
        if (contactId == null && rawEmail == null && !item.hasNonNull("contactId")) {
            errors.add(new Violation("contactId", "contactId or email is required"));
        }
        String topic = text(item, "topic", MAX_TOPIC, false, errors);
        Instant occurredAt = instant(item, "occurredAt", now, errors);
        Map<String, Object> attributes = attributes(item.get("attributes"), errors);
        campaign(item, attributes, errors);
        if (!errors.isEmpty()) {
            rejected.add(new Rejected(index, id, errors));
            return;
        }
        valid.add(new InteractionInput(id, type, contactId, contactId == null ? email : null, leadId,
                topic == null || topic.isBlank() ? null : topic.strip(), occurredAt == null ? now : occurredAt,
                attributes));
    }

    private static String text(JsonNode item, String field, int max, boolean required, List<Violation> errors) {
        JsonNode node = item.get(field);
        if (node == null || node.isNull()) {
            if (required) {
                errors.add(new Violation(field, "is required"));
            }
            return null;
        }
        if (!node.isTextual()) {
            errors.add(new Violation(field, "must be a string"));
            return null;
        }
        String value = node.textValue();
        if (required && value.isBlank()) {
            errors.add(new Violation(field, "must not be blank"));
            return null;
        }
        if (value.length() > max) {
            errors.add(new Violation(field, "must be at most " + max + " characters"));
            return null;
        }
        if (value.indexOf('\u0000') >= 0) {
            errors.add(new Violation(field, "must not contain NUL characters"));
            return null;
        }
        return value;
    }

    private static UUID uuid(JsonNode item, String field, List<Violation> errors) {
        String value = text(item, field, 36, false, errors);
        if (value == null) {
            return null;
        }
        try {
            UUID id = UUID.fromString(value.strip());
            if (id.toString().equalsIgnoreCase(value.strip())) {
                return id;
            }
        } catch (IllegalArgumentException e) {
            // reported below
        }
        errors.add(new Violation(field, "must be a UUID"));
        return null;
    }

    private static Instant instant(JsonNode item, String field, Instant now, List<Violation> errors) {
        String value = text(item, field, 40, false, errors);
        if (value == null) {
            return null;
        }
        try {
            Instant at = Instant.parse(value.strip());
            if (at.isBefore(EARLIEST) || at.isAfter(now.plus(FUTURE_TOLERANCE))) {
                errors.add(new Violation(field, "must be an instant between 1970 and now"));
                return null;
            }
            return at;
        } catch (DateTimeParseException e) {
            errors.add(new Violation(field, "must be an ISO-8601 instant, e.g. 2026-03-01T10:15:30Z"));
            return null;
        }
    }

    /**
     * The campaign the interaction came from: {@code attributes.campaign}, or {@code campaign} beside the attributes
     * (the way a capture names it), which is stored as that attribute; text of at most {@value #MAX_CAMPAIGN}
     * characters.
     */
    private static void campaign(JsonNode item, Map<String, Object> attributes, List<Violation> errors) {
        String field = "attributes." + LeadScorer.CAMPAIGN;
        Object named = attributes.get(LeadScorer.CAMPAIGN);
        if (named != null && !(named instanceof String text && text.length() <= MAX_CAMPAIGN)) {
            errors.add(new Violation(field, "must be a campaign's id or name: text of at most " + MAX_CAMPAIGN
                    + " characters"));
            return;
        }
        String campaign = text(item, LeadScorer.CAMPAIGN, MAX_CAMPAIGN, false, errors);
        if (campaign == null || campaign.isBlank()) {
            return;
        }
        if (named != null && !campaign.strip().equals(((String) named).strip())) {
            errors.add(new Violation(LeadScorer.CAMPAIGN, "must be the same as " + field + " when both are given"));
            return;
        }
        attributes.put(LeadScorer.CAMPAIGN, campaign.strip());
    }

    private static Map<String, Object> attributes(JsonNode node, List<Violation> errors) {
        Map<String, Object> attributes = new LinkedHashMap<>();
        if (node == null || node.isNull()) {
            return attributes;
        }
        if (!node.isObject()) {
            errors.add(new Violation("attributes", "must be an object"));
            return attributes;
        }
        if (node.size() > MAX_ATTRIBUTES) {
            errors.add(new Violation("attributes", "at most " + MAX_ATTRIBUTES + " attributes"));
            return attributes;
        }
        Iterator<Map.Entry<String, JsonNode>> fields = node.fields();
        while (fields.hasNext()) {
            Map.Entry<String, JsonNode> entry = fields.next();
            String name = entry.getKey();
            String field = "attributes." + name;
            if (name.isBlank() || name.length() > MAX_ATTRIBUTE_NAME || name.indexOf('\u0000') >= 0) {
                errors.add(new Violation("attributes", "names must be 1 to " + MAX_ATTRIBUTE_NAME
                        + " characters without NUL"));
                continue;
            }
            JsonNode value = entry.getValue();
            if (value.isNull()) {
                continue;
            }
            if (value.isArray()) {
                if (value.size() > MAX_LIST) {
                    errors.add(new Violation(field, "at most " + MAX_LIST + " values"));
                    continue;
                }
                List<Object> values = new ArrayList<>();
                for (JsonNode element : value) {
                    Object scalar = scalar(element, field, errors);
                    if (scalar != null) {
                        values.add(scalar);
                    }
                }
                attributes.put(name, values);
            } else {
                Object scalar = scalar(value, field, errors);
                if (scalar != null) {
                    attributes.put(name, scalar);
                }
            }
        }
        return attributes;
    }

    private static Object scalar(JsonNode value, String field, List<Violation> errors) {
        if (value.isTextual()) {
            String text = value.textValue();
            if (text.length() > MAX_TEXT || text.indexOf('\u0000') >= 0) {
                errors.add(new Violation(field, "must be at most " + MAX_TEXT + " characters without NUL"));
                return null;
            }
            return text;
        }
        if (value.isNumber()) {
            if ((value.isDouble() || value.isFloat()) && !Double.isFinite(value.doubleValue())) {
                errors.add(new Violation(field, "must be a finite number"));
                return null;
            }
            return value.numberValue();
        }
        if (value.isBoolean()) {
            return value.booleanValue();
        }
        errors.add(new Violation(field, "must be a string, number, boolean or a list of them"));
        return null;
    }
}
