package io.leadsuite.scoring.domain;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A lead's running score under one model, changed one step at a time (incrementally); the score is always exactly the
 * sum of the hits that count.
 * <ul>
 * <li>BEHAVIOUR rules fire for interactions: every matching rule fires (several may). A rule without window counts at
 * most {@code maxTimes} times (the first ones). A windowed rule counts interactions of the last {@code windowDays}
 * days only, and at most {@code maxTimes} of them: the most recent ones, so a newer interaction takes the place of
 * the oldest, and as hits expire ({@link #expire}) nothing older can take their place. Either way the score equals the
 * score computed from scratch from the same interactions at the same instant.</li>
 * <li>DEMOGRAPHIC and LEAD rules are facts about the contact or the lead: a rule that holds counts once, and stops
 * counting when it no longer holds ({@link #evaluateFacts}).</li>
 * </ul>
 */
public final class RunningScore {

    private final CompiledModel model;
    private final Map<String, ScoringRule> rulesById = new HashMap<>();
    /** How often each rule without window has counted (its hits are not needed). */
    private final Map<String, Integer> timesCounted;
    /** The live hits of each windowed rule, oldest first. */
    private final Map<String, List<RuleHit>> windowed = new HashMap<>();
    /** The DEMOGRAPHIC and LEAD rules that hold, with their hit. */
    private final Map<String, RuleHit> facts = new LinkedHashMap<>();
    private int score;

    /**
     * @param score the lead's current score under the model (the sum of its earlier hits)
     * @param timesCounted how often each rule (by id) has counted for the lead so far
     */
    public RunningScore(CompiledModel model, int score, Map<String, Integer> timesCounted) {
        this.model = model;
        this.score = score;
        this.timesCounted = new HashMap<>(timesCounted == null ? Map.of() : timesCounted);
        model.rules().forEach(rule -> rulesById.put(rule.id(), rule));
    }

    public static RunningScore fresh(CompiledModel model) {
        return new RunningScore(model, 0, Map.of());
    }

    /**
     * The state a lead's stored hits describe. Hits of rules the model no longer has are left out (and so do not
     * count): the caller re-scores such a lead from scratch. A counted rule ({@link StoredHits.Tally}) is one without
     * window, as its hits were stored under this version of the model.
     */
    public static RunningScore restore(CompiledModel model, StoredHits hits) {
        RunningScore scoring = fresh(model);
        for (RuleHit hit : hits.live()) {
            ScoringRule rule = scoring.rulesById.get(hit.ruleId());
            if (rule == null) {
                continue;
            }
            scoring.score = Math.addExact(scoring.score, hit.points());
            if (rule.kind() != RuleKind.BEHAVIOUR) {
                scoring.facts.put(rule.id(), hit);
            } else if (rule.windowDays() != null) {
                scoring.windowed.computeIfAbsent(rule.id(), k -> new ArrayList<>()).add(hit);
            } else {
                scoring.timesCounted.merge(rule.id(), 1, Integer::sum);
            }
        }
        for (StoredHits.Tally tally : hits.counted()) {
            if (scoring.rulesById.containsKey(tally.ruleId())) {
                scoring.score = Math.addExact(scoring.score, tally.points());
                scoring.timesCounted.merge(tally.ruleId(), tally.times(), Integer::sum);
            }
        }
        scoring.windowed.values().forEach(list -> list.sort(RuleHit.CHRONOLOGICAL));
        return scoring;
    }

    /** Applies one interaction as of its own time and returns the hits it added (possibly none). */
    public List<RuleHit> apply(InteractionFacts interaction) {
        return record(interaction, interaction.occurredAt()).added();
    }

    /** Applies one interaction at {@code now}: what it added, and the older windowed hits it displaced. */
    public ScoreDelta record(InteractionFacts interaction, Instant now) {
        List<RuleHit> added = new ArrayList<>();
        List<RuleHit> removed = new ArrayList<>();
        for (ScoringRule rule : model.rules()) {
            if (!rule.matches(interaction)) {
                continue;
            }
            RuleHit hit = new RuleHit(rule.id(), interaction.id(), rule.points(), interaction.occurredAt(),
                    rule.expiresAt(interaction.occurredAt()));
            if (rule.windowDays() == null) {
                int times = timesCounted.getOrDefault(rule.id(), 0);
                if (rule.allowsAnotherAfter(times)) {
                    timesCounted.put(rule.id(), times + 1);
                    added.add(hit);
                }
                continue;
            }
            if (hit.expiredAt(now) || !rule.allowsAnotherAfter(0)) {
                continue;
            }
            List<RuleHit> live = windowed.computeIfAbsent(rule.id(), k -> new ArrayList<>());
            live.add(hit);
            live.sort(RuleHit.CHRONOLOGICAL);
            if (rule.maxTimes() != null && live.size() > rule.maxTimes()) {
                RuleHit oldest = live.remove(0);
                if (oldest == hit) {
                    continue; // older than every hit that counts: it does not count
                }
                removed.add(oldest);
            }
            added.add(hit);
        }
        return account(added, removed);
    }

    /** Drops the windowed hits that have expired at {@code now}. */
    public ScoreDelta expire(Instant now) {
        List<RuleHit> removed = new ArrayList<>();
        for (List<RuleHit> live : windowed.values()) {
            live.removeIf(hit -> {
                if (hit.expiredAt(now)) {
                    removed.add(hit);
                    return true;
                }
                return false;
            });
        }
        return account(List.of(), removed);
    }

    /**
     * Evaluates the DEMOGRAPHIC rules against the contact's attributes and the LEAD rules against the lead's: a rule
     * that starts to hold adds a hit (dated {@code now}), one that stops holding removes its hit.
     */
    public ScoreDelta evaluateFacts(Map<String, Object> contact, Map<String, Object> lead, Instant now) {
        List<RuleHit> added = new ArrayList<>();
        List<RuleHit> removed = new ArrayList<>();
        for (ScoringRule rule : model.rules()) {
            if (rule.kind() == RuleKind.BEHAVIOUR) {
                continue;
            }
            boolean holds = rule.matchesFacts(rule.kind() == RuleKind.DEMOGRAPHIC ? contact : lead);
            RuleHit current = facts.get(rule.id());
            if (holds && current == null) {
                RuleHit hit = new RuleHit(rule.id(), null, rule.points(), now, null);
                facts.put(rule.id(), hit);
                added.add(hit);
            } else if (!holds && current != null) {
                facts.remove(rule.id());
                removed.add(current);
            }
        }
        return account(added, removed);
    }

    private ScoreDelta account(List<RuleHit> added, List<RuleHit> removed) {
        if (added.isEmpty() && removed.isEmpty()) {
            return ScoreDelta.NONE;
        }
        ScoreDelta delta = new ScoreDelta(added, removed);
        score = Math.addExact(score, delta.points());
        return delta;
    }

    /** The earliest instant at which a live hit expires, or null. */
    public Instant nextExpiry() {
        return windowed.values().stream().flatMap(List::stream).map(RuleHit::expiresAt)
                .min(Instant::compareTo).orElse(null);
    }

    public CompiledModel model() {
        return model;
    }

    public int score() {
        return score;
    }

    public Standing standing() {
        return model.standing(score);
    }
}
