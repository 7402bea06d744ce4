package io.leadsuite.scoring.domain;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;

/** A lead's running score under a model: several rules, caps, negative points, grade bands and the threshold. */
class RunningScoreTest {

    private static final Instant AT = Instant.parse("2026-03-01T10:15:30Z");

    /** The default model of V1__scoring.sql. */
    static final CompiledModel DEFAULT = new CompiledModel(UUID.randomUUID(), "Default engagement", 1, List.of(),
            50, List.of(new GradeBand("A", 75), new GradeBand("D", 0), new GradeBand("C", 25), new GradeBand("B", 50)),
            List.of(behaviour("form-submitted", "FORM_SUBMITTED", null, null, null, 10, 5),
                    behaviour("email-opened", "EMAIL_OPENED", null, null, null, 2, 10),
                    behaviour("email-clicked", "EMAIL_CLICKED", null, null, null, 5, 10),
                    behaviour("pricing-page-visited", "PAGE_VISITED", "url", Operator.CONTAINS, "/pricing", 15, 3),
                    behaviour("page-visited", "PAGE_VISITED", null, null, null, 1, 20),
                    behaviour("event-registered", "EVENT_REGISTERED", null, null, null, 10, null),
                    behaviour("event-attended", "EVENT_ATTENDED", null, null, null, 20, null),
                    behaviour("unsubscribed", "UNSUBSCRIBED", null, null, null, -50, null)));

    private static ScoringRule behaviour(String id, String type, String attribute, Operator operator, Object value,
            int points, Integer maxTimes) {
        return new ScoringRule(id, RuleKind.BEHAVIOUR, type, attribute, operator, value, points, maxTimes, null);
    }

    /** The hits as "rule:points", what a hit says about the score. */
    private static List<String> rulesAndPoints(List<RuleHit> hits) {
        return hits.stream().map(hit -> hit.ruleId() + ":" + hit.points()).toList();
    }

    private static InteractionFacts interaction(String spec) {
        // "TYPE" or "TYPE url=..."
        String[] parts = spec.split(" ", 2);
        Map<String, Object> attributes = parts.length == 1 ? Map.of()
                : Map.of(parts[1].substring(0, parts[1].indexOf('=')), parts[1].substring(parts[1].indexOf('=') + 1));
        return new InteractionFacts(UUID.randomUUID().toString(), parts[0], AT, attributes);
    }

    private static List<String> times(int n, String spec) {
        List<String> list = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            list.add(spec);
        }
        return list;
    }

    private static List<String> concat(List<String> a, List<String> b) {
        List<String> all = new ArrayList<>(a);
        all.addAll(b);
        return all;
    }

    static Stream<Arguments> sequences() {
        return Stream.of(
                Arguments.of("nothing", List.of(), 0, "D", false, 0),
                Arguments.of("one form", List.of("FORM_SUBMITTED"), 10, "D", false, 1),
                Arguments.of("forms are capped at 5", times(7, "FORM_SUBMITTED"), 50, "B", true, 5),
                Arguments.of("a pricing visit fires two rules", List.of("PAGE_VISITED url=https://x.io/pricing"), 16,
                        "D", false, 2),
                Arguments.of("pricing capped at 3, plain visits still count",
                        times(4, "PAGE_VISITED url=https://x.io/pricing"), 49, "C", false, 7),
                Arguments.of("plain visits capped at 20", times(25, "PAGE_VISITED url=/blog"), 20, "D", false, 20),
                Arguments.of("unsubscribing is negative", List.of("UNSUBSCRIBED"), -50, "D", false, 1),
                Arguments.of("negative after positive",
                        List.of("EVENT_ATTENDED", "EVENT_ATTENDED", "EVENT_ATTENDED", "UNSUBSCRIBED"), 10, "D", false,
                        4),
                Arguments.of("uncapped rules keep counting", times(4, "EVENT_ATTENDED"), 80, "A", true, 4),
                Arguments.of("unknown types do not count", List.of("CUSTOM:webinar", "EMAIL_BOUNCED"), 0, "D", false, 0),
                Arguments.of("mixed", concat(List.of("FORM_SUBMITTED", "EMAIL_OPENED", "EMAIL_CLICKED",
                        "EVENT_REGISTERED"), List.of("PAGE_VISITED url=/pricing")), 43, "C", false, 6));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("sequences")
    void scoresSequences(String name, List<String> interactions, int score, String grade, boolean salesReady,
            int hitCount) {
        RunningScore scoring = RunningScore.fresh(DEFAULT);
        List<RuleHit> hits = new ArrayList<>();
        interactions.forEach(spec -> hits.addAll(scoring.apply(interaction(spec))));
        assertEquals(new Standing(score, grade, salesReady), scoring.standing());
        assertEquals(hitCount, hits.size());
        assertEquals(score, hits.stream().mapToInt(RuleHit::points).sum(), "the score is the sum of the hits");
    }

    @ParameterizedTest(name = "score {0} -> grade {1}, sales-ready {2}")
    @CsvSource({ "-100, D, false", "-1, D, false", "0, D, false", "24, D, false", "25, C, false", "49, C, false",
            "50, B, true", "74, B, true", "75, A, true", "1000, A, true" })
    void gradesAndThreshold(int score, String grade, boolean salesReady) {
        assertEquals(new Standing(score, grade, salesReady), DEFAULT.standing(score));
    }

    @Test
    void aScoreBelowEveryBandGetsTheLowestBand() {
        CompiledModel model = new CompiledModel(UUID.randomUUID(), "m", 1, List.of(), 100,
                List.of(new GradeBand("Hot", 80), new GradeBand("Warm", 40), new GradeBand("Cold", 10)), List.of());
        assertEquals("Cold", model.gradeFor(0));
        assertEquals("Warm", model.gradeFor(40));
        assertNull(new CompiledModel(UUID.randomUUID(), "m", 1, null, 1, null, null).gradeFor(5));
    }

    @Test
    void capsCountWhatTheLeadAlreadyHas() {
        // the lead already has 4 forms and 2 pricing visits counted
        RunningScore scoring = new RunningScore(DEFAULT, 72,
                Map.of("form-submitted", 4, "pricing-page-visited", 3, "page-visited", 2));
        assertEquals(List.of("form-submitted:10"), rulesAndPoints(scoring.apply(interaction("FORM_SUBMITTED"))));
        assertEquals(List.of(), scoring.apply(interaction("FORM_SUBMITTED")));
        assertEquals(List.of("page-visited:1"), rulesAndPoints(scoring.apply(interaction("PAGE_VISITED url=/pricing"))));
        assertEquals(83, scoring.score());
    }

    @Test
    void aRuleCappedAtZeroNeverCounts() {
        CompiledModel model = new CompiledModel(UUID.randomUUID(), "m", 1, List.of(), 10, List.of(),
                List.of(behaviour("never", "EMAIL_OPENED", null, null, null, 5, 0)));
        assertEquals(List.of(), RunningScore.fresh(model).apply(interaction("EMAIL_OPENED")));
    }

    @Test
    void scopeAdmitsTopicsIgnoringCase() {
        CompiledModel scoped = new CompiledModel(UUID.randomUUID(), "solar", 1, List.of("Solar-Panels"), 10,
                List.of(), List.of());
        assertTrue(scoped.admits(" solar-panels "));
        assertFalse(scoped.admits("heat-pumps"));
        assertFalse(scoped.admits(null));
        assertTrue(DEFAULT.admits("anything"));
        assertTrue(DEFAULT.admits(null));
    }
}
