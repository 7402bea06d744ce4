package io.leadsuite.lead.domain;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;

import jakarta.persistence.Entity;
import jakarta.persistence.Table;
import jakarta.persistence.Version;

/**
 * A routing rule: conditions (flow, stage entered, topics, grades, countries, score range; null means any) and the
 * assignment (a team, and optionally an owner by round-robin among {@code members}). List fields are stored
 * comma-separated.
 */
@Entity
@Table(name = "routing_rule")
public class RoutingRule extends Definition {

    public int priority;
    public String flowId;
    public String stage;
    public String topics;
    public String grades;
    public String countries;
    public Integer minScore;
    public Integer maxScore;
    public String team;
    public String members;
    /** Round-robin cursor; turned with an atomic update, never through this field. */
    public int nextMember;
    @Version
    public long version;

    static List<String> split(String joined) {
        return joined == null || joined.isEmpty() ? List.of() : Arrays.asList(joined.split(","));
    }

    public static String join(List<String> values) {
        return values == null || values.isEmpty() ? null : String.join(",", values);
    }

    public List<String> topicList() {
        return split(topics);
    }

    public List<String> gradeList() {
        return split(grades);
    }

    public List<String> countryList() {
        return split(countries);
    }

    public List<String> memberList() {
        return split(members);
    }

    /** Whether the rule applies to this lead entering {@code enteredStage}, with its contact in {@code country}. */
    public boolean matches(Lead lead, String enteredStage, String country) {
        if (!enabled || (flowId != null && !flowId.equals(lead.flowId))
                || (stage != null && !stage.equals(enteredStage))) {
            return false;
        }
        if (topics != null && !topicList().contains(lead.topic)) {
            return false;
        }
        if (countries != null && (country == null || !countryList().contains(country.toUpperCase(Locale.ROOT)))) {
            return false;
        }
        if (grades != null && lead.scores.stream().map(LeadScore::grade)
                .noneMatch(g -> g != null && gradeList().stream().anyMatch(g::equalsIgnoreCase))) {
            return false;
        }
        if (minScore != null || maxScore != null) {
            int best = lead.scores.stream().mapToInt(LeadScore::score).max().orElse(Integer.MIN_VALUE);
            if (best == Integer.MIN_VALUE || (minScore != null && best < minScore)
                    || (maxScore != null && best > maxScore)) {
                return false;
            }
        }
        return true;
    }
}
