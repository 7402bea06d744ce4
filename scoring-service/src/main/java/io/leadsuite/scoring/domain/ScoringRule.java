package io.leadsuite.scoring.domain;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.Collection;
import java.util.Locale;
import java.util.Optional;

/**
 * One rule of a scoring model (CONTRACT.md, "Scoring"). A BEHAVIOUR rule fires for an interaction of its type (any
 * type when it names none) whose attribute passes the operator test (no test when it names no attribute; a named
 * attribute without operator only has to be present).
 *
 * @param maxTimes how often the rule may count for one lead; null for no limit
 * @param windowDays only interactions of the last N days count (their hits expire); null for no window
 */
public record ScoringRule(String id, RuleKind kind, String interactionType, String attribute, Operator operator,
        Object value, int points, Integer maxTimes, Integer windowDays) {

    public boolean matches(InteractionFacts interaction) {
        if (kind != RuleKind.BEHAVIOUR) {
            return false;
        }
        if (interactionType != null && !interactionType.equals(interaction.type())) {
            return false;
        }
        if (attribute == null) {
            return true;
        }
        Object actual = interaction.attributes().get(attribute);
        return actual != null && passes(actual);
    }

    /**
     * Whether a DEMOGRAPHIC or LEAD rule holds for these attributes (the contact's or the lead's): the named attribute
     * is present (not blank) and, with an operator, passes its test. A BEHAVIOUR rule never does.
     */
    public boolean matchesFacts(java.util.Map<String, Object> attributes) {
        if (kind == RuleKind.BEHAVIOUR || attribute == null || attributes == null) {
            return false;
        }
        Object actual = attributes.get(attribute);
        return actual != null && !(actual instanceof String s && s.isBlank()) && passes(actual);
    }

    /**
     * Whether the value of the rule's attribute (present) passes its operator test: any value does without an operator;
     * a list does when one of its values does.
     */
    private boolean passes(Object actual) {
        if (operator == null) {
            return true;
        }
        if (actual instanceof Collection<?> values) {
            return values.stream().anyMatch(v -> v != null && test(operator, v, value));
        }
        return test(operator, actual, value);
    }

    /** When a hit of an interaction that occurred at {@code occurredAt} stops counting; null without window. */
    public Instant expiresAt(Instant occurredAt) {
        return windowDays == null ? null : occurredAt.plus(java.time.Duration.ofDays(windowDays));
    }

    /** Whether the rule may still count after it has counted {@code times} times for a lead. */
    public boolean allowsAnotherAfter(int times) {
        return maxTimes == null || times < maxTimes;
    }

    static boolean test(Operator operator, Object actual, Object expected) {
        if (expected == null) {
            return false;
        }
        return switch (operator) {
            case EQUALS -> same(actual, expected);
            case CONTAINS -> text(actual).contains(text(expected));
            case STARTS_WITH -> text(actual).startsWith(text(expected));
            case IN -> expected instanceof Collection<?> options
                    ? options.stream().anyMatch(option -> option != null && same(actual, option))
                    : same(actual, expected);
            case GREATER_OR_EQUAL -> {
                Optional<BigDecimal> a = number(actual);
                Optional<BigDecimal> b = number(expected);
                yield a.isPresent() && b.isPresent() && a.get().compareTo(b.get()) >= 0;
            }
        };
    }

    private static boolean same(Object actual, Object expected) {
        Optional<BigDecimal> a = number(actual);
        Optional<BigDecimal> b = number(expected);
        if (a.isPresent() && b.isPresent()) {
            return a.get().compareTo(b.get()) == 0;
        }
        return text(actual).equals(text(expected));
    }

    private static String text(Object value) {
        return String.valueOf(value).toLowerCase(Locale.ROOT);
    }

    static Optional<BigDecimal> number(Object value) {
        if (value instanceof Number n) {
            try {
                return Optional.of(new BigDecimal(n.toString()));
            } catch (NumberFormatException e) {
                return Optional.empty(); // NaN, infinities
            }
        }
        if (value instanceof String s) {
            String candidate = s.strip();
            if (candidate.isEmpty() || candidate.length() > 50) {
                return Optional.empty();
            }
            try {
                return Optional.of(new BigDecimal(candidate));
            } catch (NumberFormatException e) {
                return Optional.empty();
            }
        }
        return Optional.empty();
    }
}
