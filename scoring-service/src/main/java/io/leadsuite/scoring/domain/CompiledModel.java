package io.leadsuite.scoring.domain;

import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.UUID;

/**
 * A scoring model as the rule engine sees it.
 *
 * @param topics the scope: the lead topics the model scores; empty for every topic
 */
public record CompiledModel(UUID id, String name, int version, List<String> topics, int salesReadyThreshold,
        List<GradeBand> grades, List<ScoringRule> rules) {

    public CompiledModel {
        topics = topics == null ? List.of() : List.copyOf(topics);
        grades = grades == null ? List.of()
                : grades.stream().sorted(Comparator.comparingInt(GradeBand::minScore)).toList();
        rules = rules == null ? List.of() : List.copyOf(rules);
    }

    /** Whether the model's scope admits a lead of this topic. */
    public boolean admits(String topic) {
        if (topics.isEmpty()) {
            return true;
        }
        String wanted = normaliseTopic(topic);
        return topics.stream().anyMatch(t -> normaliseTopic(t).equals(wanted));
    }

    /**
     * The band with the highest minimum not above the score; the lowest band when the score is below all; null without bands.
     */
    public String gradeFor(int score) {
        if (grades.isEmpty()) {
            return null;
        }
        GradeBand band = grades.get(0);
        for (GradeBand candidate : grades) {
            if (candidate.minScore() <= score) {
                band = candidate;
            }
        }
        return band.name();
    }

    /** Whether a LEAD rule of the model tests one of these lead attributes. */
    public boolean readsLeadFacts(Set<String> attributes) {
        return rules.stream().anyMatch(r -> r.kind() == RuleKind.LEAD && attributes.contains(r.attribute()));
    }

    public boolean salesReady(int score) {
        return score >= salesReadyThreshold;
    }

    public Standing standing(int score) {
        return new Standing(score, gradeFor(score), salesReady(score));
    }

    /** Topics compare trimmed and ignoring case. */
    public static String normaliseTopic(String topic) {
        return topic == null ? "" : topic.strip().toLowerCase(Locale.ROOT);
    }
}
