package io.leadsuite.scoring.domain;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Whether a single BEHAVIOUR rule fires for an interaction: type, attribute and each operator. */
class ScoringRuleTest {

    private static final Instant AT = Instant.parse("2026-03-01T10:15:30Z");

    private static ScoringRule rule(String type, String attribute, Operator operator, Object value) {
        return new ScoringRule("r", RuleKind.BEHAVIOUR, type, attribute, operator, value, 1, null, null);
    }

    private static InteractionFacts facts(String type, Map<String, Object> attributes) {
        return new InteractionFacts("i", type, AT, attributes);
    }

    static Stream<Arguments> cases() {
        String visit = InteractionTypes.PAGE_VISITED;
        return Stream.of(
                // type only
                Arguments.of("same type", rule(visit, null, null, null), facts(visit, Map.of()), true),
                Arguments.of("other type", rule(visit, null, null, null), facts("EMAIL_OPENED", Map.of()), false),
                Arguments.of("no type: any", rule(null, null, null, null), facts("CUSTOM:webinar", Map.of()), true),
                Arguments.of("custom type", rule("CUSTOM:webinar", null, null, null), facts("CUSTOM:webinar", Map.of()),
                        true),
                Arguments.of("demographic rules do not score interactions",
                        new ScoringRule("d", RuleKind.DEMOGRAPHIC, visit, null, null, null, 5, null, null),
                        facts(visit, Map.of()), false),
                // presence
                Arguments.of("attribute present", rule(visit, "url", null, null), facts(visit, Map.of("url", "x")), true),
                Arguments.of("attribute missing", rule(visit, "url", Operator.CONTAINS, "/pricing"),
                        facts(visit, Map.of("path", "/pricing")), false),
                // EQUALS
                Arguments.of("EQUALS ignores case", rule(visit, "campaign", Operator.EQUALS, "Spring-Launch"),
                        facts(visit, Map.of("campaign", "spring-launch")), true),
                Arguments.of("EQUALS other text", rule(visit, "campaign", Operator.EQUALS, "spring"),
                        facts(visit, Map.of("campaign", "summer")), false),
                Arguments.of("EQUALS numbers", rule(visit, "n", Operator.EQUALS, 5), facts(visit, Map.of("n", "5.0")),
                        true),
                Arguments.of("EQUALS boolean", rule(visit, "vip", Operator.EQUALS, true),
                        facts(visit, Map.of("vip", true)), true),
                // CONTAINS
                Arguments.of("CONTAINS", rule(visit, "url", Operator.CONTAINS, "/pricing"),
                        facts(visit, Map.of("url", "https://example.com/Pricing/plans")), true),
                Arguments.of("CONTAINS not", rule(visit, "url", Operator.CONTAINS, "/pricing"),
                        facts(visit, Map.of("url", "https://example.com/docs")), false),
                Arguments.of("CONTAINS in a list attribute", rule(visit, "tags", Operator.CONTAINS, "solar"),
                        facts(visit, Map.of("tags", List.of("news", "solar-panels"))), true),
                // STARTS_WITH
                Arguments.of("STARTS_WITH", rule(visit, "url", Operator.STARTS_WITH, "https://example.com/blog"),
                        facts(visit, Map.of("url", "https://example.com/blog/2026/solar")), true),
                Arguments.of("STARTS_WITH not", rule(visit, "url", Operator.STARTS_WITH, "https://example.com/blog"),
                        facts(visit, Map.of("url", "https://other.io/blog")), false),
                // IN
                Arguments.of("IN", rule(visit, "country", Operator.IN, List.of("PT", "ES")),
                        facts(visit, Map.of("country", "pt")), true),
                Arguments.of("IN not", rule(visit, "country", Operator.IN, List.of("PT", "ES")),
                        facts(visit, Map.of("country", "FR")), false),
                Arguments.of("IN numbers", rule(visit, "size", Operator.IN, List.of(10, 20)),
                        facts(visit, Map.of("size", 20)), true),
                Arguments.of("IN with one value", rule(visit, "country", Operator.IN, "PT"),
                        facts(visit, Map.of("country", "PT")), true),
                // GREATER_OR_EQUAL
                Arguments.of(">= above", rule(visit, "seconds", Operator.GREATER_OR_EQUAL, 30),
                        facts(visit, Map.of("seconds", 45)), true),
                Arguments.of(">= equal", rule(visit, "seconds", Operator.GREATER_OR_EQUAL, 30),
                        facts(visit, Map.of("seconds", 30.0)), true),
                Arguments.of(">= below", rule(visit, "seconds", Operator.GREATER_OR_EQUAL, 30),
                        facts(visit, Map.of("seconds", 29)), false),
                Arguments.of(">= numeric text", rule(visit, "seconds", Operator.GREATER_OR_EQUAL, "30"),
                        facts(visit, Map.of("seconds", "120")), true),
                Arguments.of(">= not a number", rule(visit, "seconds", Operator.GREATER_OR_EQUAL, 30),
                        facts(visit, Map.of("seconds", "long")), false),
                Arguments.of("a rule without value never matches",
                        rule(visit, "campaign", Operator.EQUALS, null), facts(visit, Map.of("campaign", "x")), false));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void matches(String name, ScoringRule rule, InteractionFacts interaction, boolean expected) {
        assertEquals(expected, rule.matches(interaction));
    }
}
