package io.leadsuite.scoring.domain;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The rule engine, table by table: operators, caps, windows (decay), negative points, facts (DEMOGRAPHIC and LEAD
 * rules), grade bands and thresholds, several models and scope; and that an incremental score always equals the score
 * computed from scratch.
 */
class RuleEngineTest {

    private static final Instant T0 = Instant.parse("2026-03-01T00:00:00Z");

    private static Instant day(double d) {
        return T0.plus(Duration.ofMinutes(Math.round(d * 24 * 60)));
    }

    private static ScoringRule behaviour(String id, String type, String attribute, Operator op, Object value,
            int points, Integer maxTimes, Integer windowDays) {
        return new ScoringRule(id, RuleKind.BEHAVIOUR, type, attribute, op, value, points, maxTimes, windowDays);
    }

    private static CompiledModel model(int threshold, List<GradeBand> grades, List<String> topics,
            ScoringRule... rules) {
        return new CompiledModel(UUID.randomUUID(), "m", 1, topics, threshold, grades, List.of(rules));
    }

    private static InteractionFacts at(String id, String type, double day, Map<String, Object> attributes) {
        return new InteractionFacts(id, type, day(day), attributes);
    }

    // ------------------------------------------------------------------------------------------ operators

    static Stream<Arguments> operators() {
        return Stream.of(
                // operator, rule value, interaction attribute value, fires?
                Arguments.of(Operator.EQUALS, "spring", "Spring", true),
                Arguments.of(Operator.EQUALS, "spring", "spring-2", false),
                Arguments.of(Operator.EQUALS, 10, "10.0", true),
                Arguments.of(Operator.EQUALS, 10, 11, false),
                Arguments.of(Operator.CONTAINS, "/pricing", "https://x.io/PRICING?a=1", true),
                Arguments.of(Operator.CONTAINS, "/pricing", "https://x.io/blog", false),
                Arguments.of(Operator.CONTAINS, "/pricing", List.of("/blog", "/pricing"), true),
                Arguments.of(Operator.STARTS_WITH, "https://shop", "HTTPS://shop.x.io/cart", true),
                Arguments.of(Operator.STARTS_WITH, "https://shop", "http://shop.x.io", false),
                Arguments.of(Operator.IN, List.of("PT", "ES"), "es", true),
                Arguments.of(Operator.IN, List.of("PT", "ES"), "FR", false),
                Arguments.of(Operator.IN, List.of(1, 2, 3), 2, true),
                Arguments.of(Operator.GREATER_OR_EQUAL, 100, 100, true),
                Arguments.of(Operator.GREATER_OR_EQUAL, 100, "250.5", true),
                Arguments.of(Operator.GREATER_OR_EQUAL, 100, 99.99, false),
                Arguments.of(Operator.GREATER_OR_EQUAL, 100, "lots", false));
    }

    @ParameterizedTest(name = "{0} {1} vs {2} -> {3}")
    @MethodSource("operators")
    void eachOperatorOnInteractionsAndFacts(Operator op, Object value, Object actual, boolean fires) {
        CompiledModel m = model(1000, List.of(), List.of(),
                behaviour("r", "PAGE_VISITED", "a", op, value, 7, null, null),
                new ScoringRule("d", RuleKind.DEMOGRAPHIC, null, "a", op, value, 3, null, null),
                new ScoringRule("l", RuleKind.LEAD, null, "a", op, value, 2, null, null));
        RunningScore scoring = RunningScore.fresh(m);
        scoring.record(at("i", "PAGE_VISITED", 0, Map.of("a", actual)), day(0));
        assertEquals(fires ? 7 : 0, scoring.score(), "behaviour rule");
        Map<String, Object> facts = Map.of("a", actual);
        ScoringRule demographic = m.rules().get(1);
        ScoringRule lead = m.rules().get(2);
        assertEquals(fires, demographic.matchesFacts(facts), "demographic rule");
        scoring.evaluateFacts(facts, Map.of(), day(0));
        assertEquals(fires ? 10 : 0, scoring.score(), "demographic rule scores");
        scoring.evaluateFacts(facts, facts, day(0));
        assertEquals(fires ? 12 : 0, scoring.score(), "lead rule scores");
        assertEquals(fires, lead.matchesFacts(facts));
    }

    // ------------------------------------------------------------------------------------------ sequences

    record Step(String interactionId, String type, double occurredDay, double nowDay) {
    }

    private static Step step(String id, String type, double occurred, double now) {
        return new Step(id, type, occurred, now);
    }

    static Stream<Arguments> sequences() {
        ScoringRule capped = behaviour("open", "EMAIL_OPENED", null, null, null, 5, 3, null);
        ScoringRule windowed = behaviour("visit", "PAGE_VISITED", null, null, null, 10, null, 7);
        ScoringRule cappedWindow = behaviour("click", "EMAIL_CLICKED", null, null, null, 4, 2, 10);
        ScoringRule negative = behaviour("unsub", "UNSUBSCRIBED", null, null, null, -30, null, null);
        ScoringRule zeroCap = behaviour("nope", "CUSTOM:x", null, null, null, 9, 0, null);
        return Stream.of(
                Arguments.of("cap: only the first 3 opens count", List.of(capped),
                        List.of(step("a", "EMAIL_OPENED", 0, 0), step("b", "EMAIL_OPENED", 1, 1),
                                step("c", "EMAIL_OPENED", 2, 2), step("d", "EMAIL_OPENED", 3, 3)),
                        4.0, 15),
                Arguments.of("window: a visit counts for 7 days", List.of(windowed),
                        List.of(step("a", "PAGE_VISITED", 0, 0), step("b", "PAGE_VISITED", 5, 5)), 6.0, 20),
                Arguments.of("window: the first visit expired by day 7.5", List.of(windowed),
                        List.of(step("a", "PAGE_VISITED", 0, 0), step("b", "PAGE_VISITED", 5, 5)), 7.5, 10),
                Arguments.of("window: everything expired", List.of(windowed),
                        List.of(step("a", "PAGE_VISITED", 0, 0), step("b", "PAGE_VISITED", 5, 5)), 13.0, 0),
                Arguments.of("window: an interaction older than the window never counts", List.of(windowed),
                        List.of(step("old", "PAGE_VISITED", 0, 9)), 9.0, 0),
                Arguments.of("cap within window: the latest 2 count", List.of(cappedWindow),
                        List.of(step("a", "EMAIL_CLICKED", 0, 0), step("b", "EMAIL_CLICKED", 1, 1),
                                step("c", "EMAIL_CLICKED", 2, 2)),
                        2.0, 8),
                Arguments.of("cap within window: after the newest displaced the oldest, one expiry leaves one",
                        List.of(cappedWindow),
                        List.of(step("a", "EMAIL_CLICKED", 0, 0), step("b", "EMAIL_CLICKED", 1, 1),
                                step("c", "EMAIL_CLICKED", 9, 9)),
                        11.5, 4),
                Arguments.of("cap within window: a late arrival older than the counted ones does not count",
                        List.of(cappedWindow),
                        List.of(step("b", "EMAIL_CLICKED", 1, 1), step("c", "EMAIL_CLICKED", 2, 2),
                                step("a", "EMAIL_CLICKED", 0, 2)),
                        2.0, 8),
                Arguments.of("negative points", List.of(capped, negative),
                        List.of(step("a", "EMAIL_OPENED", 0, 0), step("u", "UNSUBSCRIBED", 1, 1)), 1.0, -25),
                Arguments.of("a rule capped at 0 never counts", List.of(zeroCap),
                        List.of(step("a", "CUSTOM:x", 0, 0)), 0.0, 0),
                Arguments.of("other types do not count", List.of(capped, windowed),
                        List.of(step("a", "FORM_SUBMITTED", 0, 0), step("b", "CUSTOM:webinar", 0, 0)), 0.0, 0));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("sequences")
    void capsWindowsAndNegativePoints(String name, List<ScoringRule> rules, List<Step> steps, double evaluatedDay,
            int expected) {
        CompiledModel m = model(1000, List.of(), List.of(), rules.toArray(ScoringRule[]::new));
        RunningScore incremental = RunningScore.fresh(m);
        List<RuleHit> live = new ArrayList<>();
        for (Step s : steps) {
            apply(live, incremental.expire(day(s.nowDay())));
            apply(live, incremental.record(at(s.interactionId(), s.type(), s.occurredDay(), Map.of()),
                    day(s.nowDay())));
        }
        apply(live, incremental.expire(day(evaluatedDay)));
        assertEquals(expected, incremental.score());
        assertEquals(expected, live.stream().mapToInt(RuleHit::points).sum(), "the score is the sum of live hits");
        assertEquals(expected, fromScratch(m, steps, day(evaluatedDay)).score(), "equals the score from scratch");
        RunningScore restored = RunningScore.restore(m, StoredHits.of(live));
        assertEquals(expected, restored.score(), "a restored state has the same score");
        RunningScore tallied = RunningScore.restore(m, tallied(live));
        assertEquals(expected, tallied.score(), "and one whose hits of rules without window are counted");
        // what either restored state does with the same further interactions: the caps count alike
        for (Step s : steps) {
            InteractionFacts again = at(s.interactionId() + "-again", s.type(), evaluatedDay, Map.of());
            restored.record(again, day(evaluatedDay));
            tallied.record(again, day(evaluatedDay));
            assertEquals(restored.score(), tallied.score(), "after " + again.id());
        }
    }

    /** The hits as the store reads them: those of BEHAVIOUR rules without window counted per rule. */
    private static StoredHits tallied(List<RuleHit> hits) {
        List<RuleHit> live = new ArrayList<>();
        Map<String, StoredHits.Tally> counted = new LinkedHashMap<>();
        for (RuleHit hit : hits) {
            if (hit.expiresAt() == null && hit.interactionId() != null) {
                counted.merge(hit.ruleId(), new StoredHits.Tally(hit.ruleId(), 1, hit.points()),
                        (a, b) -> new StoredHits.Tally(a.ruleId(), a.times() + 1, a.points() + b.points()));
            } else {
                live.add(hit);
            }
        }
        return new StoredHits(live, List.copyOf(counted.values()));
    }

    private static void apply(List<RuleHit> live, ScoreDelta delta) {
        live.addAll(delta.added());
        live.removeAll(delta.removed());
    }

    private static RunningScore fromScratch(CompiledModel m, List<Step> steps, Instant now) {
        RunningScore scoring = RunningScore.fresh(m);
        steps.stream().sorted((a, b) -> Double.compare(a.occurredDay(), b.occurredDay()))
                .forEach(s -> scoring.record(at(s.interactionId(), s.type(), s.occurredDay(), Map.of()), now));
        scoring.expire(now);
        return scoring;
    }

    @Test
    void expiredHitsAreReportedWithTheirExpiry() {
        CompiledModel m = model(15, List.of(new GradeBand("Cold", 0), new GradeBand("Hot", 15)), List.of(),
                behaviour("visit", "PAGE_VISITED", null, null, null, 10, null, 7),
                behaviour("form", "FORM_SUBMITTED", null, null, null, 10, null, null));
        RunningScore scoring = RunningScore.fresh(m);
        ScoreDelta visit = scoring.record(at("v", "PAGE_VISITED", 0, Map.of()), day(0));
        assertEquals(day(7), visit.added().get(0).expiresAt());
        scoring.record(at("f", "FORM_SUBMITTED", 1, Map.of()), day(1));
        assertEquals(new Standing(20, "Hot", true), scoring.standing());
        assertEquals(day(7), scoring.nextExpiry());
        ScoreDelta decayed = scoring.expire(day(7));
        assertEquals(List.of("v"), decayed.removed().stream().map(RuleHit::interactionId).toList());
        assertEquals(new Standing(10, "Cold", false), scoring.standing(), "fell back below the threshold");
        assertNull(scoring.nextExpiry());
        assertEquals(ScoreDelta.NONE, scoring.expire(day(100)));
    }

    // ------------------------------------------------------------------------------------------ facts

    static Stream<Arguments> facts() {
        Map<String, Object> director = Map.of("jobTitle", "IT Director", "country", "PT");
        Map<String, Object> engineer = Map.of("jobTitle", "Engineer", "country", "PT");
        Map<String, Object> bigBudget = Map.of("budget", 25000, "timeframe", "THIS_QUARTER");
        Map<String, Object> smallBudget = Map.of("budget", "900", "timeframe", "NEXT_YEAR");
        return Stream.of(
                Arguments.of("director in Iberia with a big budget this quarter", director, bigBudget, 15 + 5 + 20 + 10),
                Arguments.of("engineer in Iberia with a big budget", engineer, bigBudget, 5 + 20 + 10),
                Arguments.of("director, small budget next year", director, smallBudget, 15 + 5),
                Arguments.of("nothing known", Map.of(), Map.of(), 0),
                Arguments.of("blank attribute does not hold", Map.of("jobTitle", " "), Map.of(), 0));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("facts")
    void demographicAndLeadRules(String name, Map<String, Object> contact, Map<String, Object> lead, int expected) {
        CompiledModel m = model(100, List.of(), List.of(),
                new ScoringRule("director", RuleKind.DEMOGRAPHIC, null, "jobTitle", Operator.CONTAINS, "director", 15,
                        null, null),
                new ScoringRule("iberia", RuleKind.DEMOGRAPHIC, null, "country", Operator.IN, List.of("PT", "ES"), 5,
                        null, null),
                new ScoringRule("budget", RuleKind.LEAD, null, "budget", Operator.GREATER_OR_EQUAL, 10000, 20, null,
                        null),
                new ScoringRule("quarter", RuleKind.LEAD, null, "timeframe", Operator.EQUALS, "this_quarter", 10, null,
                        null));
        RunningScore scoring = RunningScore.fresh(m);
        scoring.evaluateFacts(contact, lead, T0);
        assertEquals(expected, scoring.score());
        assertEquals(ScoreDelta.NONE, scoring.evaluateFacts(contact, lead, T0.plusSeconds(5)), "nothing counts twice");
    }

    @Test
    void aFactThatStopsHoldingTakesItsPointsAway() {
        CompiledModel m = model(10, List.of(), List.of(), new ScoringRule("director", RuleKind.DEMOGRAPHIC, null,
                "jobTitle", Operator.CONTAINS, "director", 15, null, null));
        RunningScore scoring = RunningScore.fresh(m);
        scoring.evaluateFacts(Map.of("jobTitle", "Director"), Map.of(), T0);
        assertEquals(15, scoring.score());
        ScoreDelta promotedAway = scoring.evaluateFacts(Map.of("jobTitle", "Engineer"), Map.of(), day(1));
        assertEquals(-15, promotedAway.points());
        assertEquals(0, scoring.score());
    }

    // ------------------------------------------------------------------------------------------ grades, thresholds

    static Stream<Arguments> bands() {
        List<GradeBand> hotWarmCold = List.of(new GradeBand("Cold", -20), new GradeBand("Warm", 30),
                new GradeBand("Hot", 60));
        return Stream.of(
                Arguments.of(hotWarmCold, 60, -100, "Cold", false),
                Arguments.of(hotWarmCold, 60, -20, "Cold", false),
                Arguments.of(hotWarmCold, 60, 29, "Cold", false),
                Arguments.of(hotWarmCold, 60, 30, "Warm", false),
                Arguments.of(hotWarmCold, 60, 59, "Warm", false),
                Arguments.of(hotWarmCold, 60, 60, "Hot", true),
                Arguments.of(hotWarmCold, 45, 45, "Warm", true),
                Arguments.of(hotWarmCold, 45, 44, "Warm", false),
                Arguments.of(List.of(), 10, 10, null, true));
    }

    @ParameterizedTest(name = "bands {0}, threshold {1}: score {2} -> {3}, sales-ready {4}")
    @MethodSource("bands")
    void gradeBandsAndThresholds(List<GradeBand> bands, int threshold, int score, String grade, boolean ready) {
        assertEquals(new Standing(score, grade, ready), model(threshold, bands, List.of()).standing(score));
    }

    // ------------------------------------------------------------------------------------------ models, scope

    @Test
    void severalModelsScoreTheSameInteractionsEachByItsOwnRules() {
        CompiledModel engagement = model(20, List.of(), List.of(),
                behaviour("any-click", "EMAIL_CLICKED", null, null, null, 5, null, null));
        CompiledModel campaign = model(8, List.of(), List.of("solar-panels"),
                behaviour("spring-click", "EMAIL_CLICKED", "campaign", Operator.EQUALS, "spring", 8, 1, null));
        Map<CompiledModel, RunningScore> scorings = new LinkedHashMap<>();
        for (CompiledModel m : List.of(engagement, campaign)) {
            if (m.admits("Solar-Panels")) {
                scorings.put(m, RunningScore.fresh(m));
            }
        }
        List<InteractionFacts> interactions = List.of(at("1", "EMAIL_CLICKED", 0, Map.of("campaign", "spring")),
                at("2", "EMAIL_CLICKED", 0, Map.of("campaign", "spring")),
                at("3", "EMAIL_CLICKED", 0, Map.of("campaign", "autumn")));
        interactions.forEach(i -> scorings.values().forEach(s -> s.record(i, day(0))));
        assertEquals(new Standing(15, null, false), scorings.get(engagement).standing());
        assertEquals(new Standing(8, null, true), scorings.get(campaign).standing());
    }

    static Stream<Arguments> scopes() {
        return Stream.of(Arguments.of(List.of(), "anything", true), Arguments.of(List.of(), null, true),
                Arguments.of(List.of("solar-panels", "heat-pumps"), " Heat-Pumps ", true),
                Arguments.of(List.of("solar-panels"), "heat-pumps", false),
                Arguments.of(List.of("solar-panels"), null, false));
    }

    @ParameterizedTest(name = "scope {0} admits {1}: {2}")
    @MethodSource("scopes")
    void scopeByTopic(List<String> topics, String topic, boolean admitted) {
        assertEquals(admitted, model(1, List.of(), topics).admits(topic));
    }
}
