package io.leadsuite.scoring.domain;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.Test;

/** The scoring algorithm for one lead in one unit of work, without storage. */
class ScoreCardTest {

    private static final Instant NOW = Instant.parse("2026-03-01T10:15:30Z");
    private static final UUID LEAD = UUID.randomUUID();

    private static final CompiledModel SOLAR = model(1);

    private static CompiledModel model(int version) {
        return new CompiledModel(UUID.nameUUIDFromBytes("solar".getBytes()), "Solar", version, List.of("solar"), 10,
                List.of(new GradeBand("D", 0), new GradeBand("A", 10)),
                List.of(new ScoringRule("open", RuleKind.BEHAVIOUR, "EMAIL_OPENED", null, null, null, 4, null, null),
                        new ScoringRule("click", RuleKind.BEHAVIOUR, "EMAIL_CLICKED", null, null, null, 3, null, 1),
                        new ScoringRule("budget", RuleKind.LEAD, null, "budget", Operator.GREATER_OR_EQUAL, 1000, 5,
                                null, null)));
    }

    private static InteractionFacts interaction(String id, String type, Instant at) {
        return new InteractionFacts(id, type, at, Map.of());
    }

    @Test
    void aModelWithoutAStoredScoreIsRebuiltFromTheAppliedInteractions() {
        ScoreCard card = ScoreCard.open(LEAD, "solar", List.of(SOLAR), Map.of(), Map.of());
        assertEquals(List.of(SOLAR), card.toRebuild());
        List<RuleHit> live = card.rebuild(SOLAR, List.of(interaction("a", "EMAIL_OPENED", NOW.minusSeconds(60)),
                interaction("b", "EMAIL_CLICKED", NOW.minus(Duration.ofDays(2))),
                interaction("c", "PAGE_VISITED", NOW)), NOW);
        // the click is older than its one-day window: it does not count any more
        assertEquals(List.of("a"), live.stream().map(RuleHit::interactionId).toList());
        RuleHitChanges changes = new RuleHitChanges();
        card.refreshFacts(Map.of(), Map.of("budget", 2000), NOW, changes);
        assertEquals(List.of("budget"), changes.inserts().stream().map(h -> h.hit().ruleId()).toList());
        ScoreCard.Outcome outcome = card.outcomes().get(0);
        assertEquals(new Standing(0, "D", false), outcome.before());
        assertEquals(new Standing(9, "D", false), outcome.after());
        assertTrue(card.changed());
    }

    @Test
    void aRestoredScoreMovesByTheAppliedInteractionOnly() {
        RuleHit opened = new RuleHit("open", "a", 4, NOW.minusSeconds(600), null);
        RuleHit budget = new RuleHit("budget", null, 5, NOW.minusSeconds(600), null);
        ScoreCard card = ScoreCard.open(LEAD, "solar", List.of(SOLAR),
                Map.of(SOLAR.id(), new ScoreCard.StoredScore(SOLAR.id(), 1, new Standing(9, "D", false))),
                Map.of(SOLAR.id(), StoredHits.of(List.of(opened, budget))));
        assertEquals(List.of(), card.toRebuild());
        RuleHitChanges changes = new RuleHitChanges();
        card.refreshFacts(Map.of(), Map.of("budget", 2000), NOW, changes);
        assertEquals(List.of(), changes.inserts(), "the budget rule still holds: nothing to write");
        card.apply(interaction("b", "EMAIL_CLICKED", NOW), NOW, changes);
        card.apply(interaction("c", "PAGE_VISITED", NOW), NOW, changes);
        ScoreCard.Outcome outcome = card.outcomes().get(0);
        assertEquals(new Standing(12, "A", true), outcome.after());
        assertEquals("b", outcome.lastInteractionId());
        assertEquals("b", card.lastInteractionId());
        assertEquals(List.of("b"), changes.inserts().stream().map(h -> h.hit().interactionId()).toList());
        assertTrue(card.changed());
    }

    @Test
    void expiredHitsAndAttributesThatStopHoldingLowerTheScore() {
        RuleHit click = new RuleHit("click", "b", 3, NOW.minus(Duration.ofDays(2)), NOW.minus(Duration.ofDays(1)));
        RuleHit budget = new RuleHit("budget", null, 5, NOW.minusSeconds(600), null);
        ScoreCard card = ScoreCard.open(LEAD, "solar", List.of(SOLAR),
                Map.of(SOLAR.id(), new ScoreCard.StoredScore(SOLAR.id(), 1, new Standing(8, "D", false))),
                Map.of(SOLAR.id(), StoredHits.of(List.of(click, budget))));
        RuleHitChanges changes = new RuleHitChanges();
        card.refreshFacts(Map.of(), Map.of("budget", 10), NOW, changes);
        assertEquals(List.of("click", "budget"), changes.deletes().stream().map(h -> h.hit().ruleId()).toList());
        assertEquals(new Standing(0, "D", false), card.outcomes().get(0).after());
        assertNull(card.outcomes().get(0).lastInteractionId());
    }

    @Test
    void aScoreOfAnOlderVersionIsRebuiltAndOneOfAModelThatNoLongerScoresTheLeadIsDropped() {
        UUID retired = UUID.randomUUID();
        CompiledModel second = model(2);
        ScoreCard card = ScoreCard.open(LEAD, "solar", List.of(second),
                Map.of(second.id(), new ScoreCard.StoredScore(second.id(), 1, new Standing(4, "D", false)),
                        retired, new ScoreCard.StoredScore(retired, 3, new Standing(7, null, false))),
                Map.of());
        assertEquals(List.of(second), card.toRebuild());
        assertEquals(List.of(retired), card.dropped());
        card.rebuild(second, List.of(interaction("a", "EMAIL_OPENED", NOW)), NOW);
        assertFalse(card.outcomes().get(0).changed(), "4 before, 4 after");
        assertTrue(card.changed(), "a model's score went");
    }

    @Test
    void aLeadOutsideEveryScopeHasNothingToScore() {
        ScoreCard card = ScoreCard.open(LEAD, "wind", List.of(SOLAR), Map.of(), Map.of());
        assertEquals(List.of(), card.toRebuild());
        assertEquals(List.of(), card.outcomes());
        assertFalse(card.changed());
    }

    @Test
    void aHitAddedAndRemovedInOneUnitIsNeverWritten() {
        RuleHitChanges changes = new RuleHitChanges();
        UUID model = UUID.randomUUID();
        RuleHit fresh = new RuleHit("open", "x", 4, NOW, null);
        RuleHit stored = new RuleHit("open", "y", 4, NOW, null);
        changes.add(LEAD, model, new ScoreDelta(List.of(fresh), List.of()));
        changes.add(LEAD, model, new ScoreDelta(List.of(), List.of(fresh, stored)));
        assertEquals(List.of(), changes.inserts());
        assertEquals(List.of(new RuleHitChanges.LeadHit(LEAD, model, stored)), changes.deletes());
    }
}
