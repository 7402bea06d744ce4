package io.leadsuite.lead.domain;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Currency;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.JsonNode;

import io.leadsuite.kit.domain.InvalidValues;
import io.leadsuite.kit.domain.Violation;

/**
 * A JSON merge patch (RFC 7396) of a lead's editable attributes: {@code qualification} (budget, currency, timeframe,
 * need, decisionMaker), {@code topic}, {@code owner}. A member that is absent is left alone, {@code null} clears it.
 * Every invalid member is reported at once (422, one error per field).
 */
public final class LeadPatch {

    /** Purchase timeframes a lead can state. */
    public static final Set<String> TIMEFRAMES = Set.of("IMMEDIATE", "THIS_QUARTER", "NEXT_QUARTER", "THIS_YEAR",
            "NEXT_YEAR", "LATER");
    static final Pattern TOPIC = Pattern.compile("^[A-Za-z0-9][A-Za-z0-9 ._-]*$");
    private static final Set<String> TOP_LEVEL = Set.of("qualification", "topic", "owner");
    private static final Set<String> QUALIFICATION = Set.of("budget", "currency", "timeframe", "need", "decisionMaker");
    private static final BigDecimal MAX_BUDGET = new BigDecimal("1000000000000000");

    // null: not in the patch; Optional.empty(): set to null
    Optional<BigDecimal> budget;
    Optional<String> currency;
    Optional<String> timeframe;
    Optional<String> need;
    Optional<Boolean> decisionMaker;
    Optional<String> topic;
    Optional<String> owner;

    /** The topic the patch sets (lower-cased), if it sets one. */
    public Optional<String> topic() {
        return topic == null ? Optional.empty() : topic;
    }

    /** The patch sets this topic id instead (the topic list's id for the spelling it was given). */
    public void topic(String id) {
        topic = Optional.of(id);
    }

    private LeadPatch() {
    }

    public static LeadPatch parse(JsonNode body) {
        List<Violation> errors = new ArrayList<>();
        LeadPatch patch = new LeadPatch();
        if (body == null || !body.isObject()) {
            throw new InvalidValues("A merge patch must be a JSON object",
                    List.of(new Violation("", "must be a JSON object")));
        }
        for (Iterator<String> names = body.fieldNames(); names.hasNext();) {
            String name = names.next();
            if (!TOP_LEVEL.contains(name)) {
                errors.add(new Violation(name, "cannot be changed here; one of " + TOP_LEVEL.stream().sorted().toList()));
            }
        }
        JsonNode q = body.get("qualification");
        if (q != null && q.isNull()) {
            patch.budget = Optional.empty();
            patch.currency = Optional.empty();
            patch.timeframe = Optional.empty();
            patch.need = Optional.empty();
            patch.decisionMaker = Optional.empty();
        } else if (q != null && !q.isObject()) {
            errors.add(new Violation("qualification", "must be an object"));
        } else if (q != null) {
            for (Iterator<Map.Entry<String, JsonNode>> fields = q.fields(); fields.hasNext();) {
                Map.Entry<String, JsonNode> field = fields.next();
                String at = "qualification." + field.getKey();
                JsonNode v = field.getValue();
                switch (field.getKey()) {
                    case "budget" -> {
                        if (v.isNull()) {
                            patch.budget = Optional.empty();
                        } else if (!v.isNumber() || v.decimalValue().signum() < 0
                                || v.decimalValue().compareTo(MAX_BUDGET) >= 0 || v.decimalValue().scale() > 2) {
                            errors.add(new Violation(at, "must be a number from 0 below 10^15 with at most 2 decimals"));
                        } else {
                            patch.budget = Optional.of(v.decimalValue());
                        }
                    }
                    case "currency" -> {
                        if (v.isNull()) {
                            patch.currency = Optional.empty();
                        } else if (!v.isTextual() || !isCurrency(v.asText())) {
                            errors.add(new Violation(at, "must be an ISO 4217 currency code, e.g. EUR"));
                        } else {
                            patch.currency = Optional.of(v.asText());
                        }
                    }
                    case "timeframe" -> {
                        if (v.isNull()) {
                            patch.timeframe = Optional.empty();
                        } else if (!v.isTextual() || !TIMEFRAMES.contains(v.asText())) {
                            errors.add(new Violation(at, "must be one of " + TIMEFRAMES.stream().sorted().toList()));
                        } else {
                            patch.timeframe = Optional.of(v.asText());
                        }
                    }
                    case "need" -> {
                        if (v.isNull()) {
                            patch.need = Optional.empty();
                        } else if (!v.isTextual() || v.asText().isBlank() || v.asText().length() > 2000
                                || v.asText().indexOf('\0') >= 0) {
                            errors.add(new Violation(at, "must be text of 1 to 2000 characters"));
                        } else {
                            patch.need = Optional.of(v.asText().strip());
                        }
                    }
                    case "decisionMaker" -> {
                        if (v.isNull()) {
                            patch.decisionMaker = Optional.empty();
                        } else if (!v.isBoolean()) {
                            errors.add(new Violation(at, "must be true or false"));
                        } else {
                            patch.decisionMaker = Optional.of(v.booleanValue());
                        }
                    }
                    default -> errors.add(new Violation(at, "unknown field; one of "
                            + QUALIFICATION.stream().sorted().toList()));
                }
            }
        }
        JsonNode topic = body.get("topic");
        if (topic != null) {
            if (!topic.isTextual() || topic.asText().isBlank() || topic.asText().length() > 100
                    || !TOPIC.matcher(topic.asText().strip()).matches()) {
                errors.add(new Violation("topic", "letters, digits, blanks, dots, dashes and underscores (at most 100)"));
            } else {
                patch.topic = Optional.of(topic.asText().strip().toLowerCase(Locale.ROOT));
            }
        }
        JsonNode owner = body.get("owner");
        if (owner != null) {
            if (owner.isNull()) {
                patch.owner = Optional.empty();
            } else if (!owner.isTextual() || owner.asText().isBlank() || owner.asText().length() > 200
                    || owner.asText().indexOf('\0') >= 0) {
                errors.add(new Violation("owner", "must be text of 1 to 200 characters, or null"));
            } else {
                patch.owner = Optional.of(owner.asText().strip());
            }
        }
        if (!errors.isEmpty()) {
            throw new InvalidValues("The patch is not valid", errors);
        }
        return patch;
    }

    private static boolean isCurrency(String code) {
        if (!code.matches("^[A-Z]{3}$")) {
            return false;
        }
        try {
            Currency.getInstance(code);
            return true;
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    /**
     * Applies the patch; returns the names of the fields that actually changed (none: nothing to record). A budget
     * needs a currency.
     */
    List<String> applyTo(Lead lead) {
        List<String> changed = new ArrayList<>();
        lead.budget = set(budget, lead.budget, "qualification.budget", changed, (a, b) -> a.compareTo(b) == 0);
        lead.currency = set(currency, lead.currency, "qualification.currency", changed, Object::equals);
        lead.timeframe = set(timeframe, lead.timeframe, "qualification.timeframe", changed, Object::equals);
        lead.need = set(need, lead.need, "qualification.need", changed, Object::equals);
        lead.decisionMaker = set(decisionMaker, lead.decisionMaker, "qualification.decisionMaker", changed,
                Object::equals);
        lead.topic = set(topic, lead.topic, "topic", changed, Object::equals);
        lead.owner = set(owner, lead.owner, "owner", changed, Object::equals);
        if (lead.budget != null && lead.currency == null) {
            throw new InvalidValues("A budget needs a currency",
                    List.of(new Violation("qualification.currency", "must be given with a budget")));
        }
        if (topic != null && topic.isEmpty()) {
            throw new InvalidValues("A lead needs a topic", List.of(new Violation("topic", "required")));
        }
        return changed;
    }

    private static <T> T set(Optional<T> patch, T current, String name, List<String> changed,
            java.util.function.BiPredicate<T, T> same) {
        if (patch == null) {
            return current;
        }
        T next = patch.orElse(null);
        boolean equal = next == null ? current == null : current != null && same.test(next, current);
        if (!equal) {
            changed.add(name);
        }
        return next;
    }
}
