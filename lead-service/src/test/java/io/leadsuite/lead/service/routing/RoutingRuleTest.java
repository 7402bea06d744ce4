package io.leadsuite.lead.service.routing;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.UUID;

import org.junit.jupiter.api.Test;

import io.leadsuite.kit.domain.InvalidValues;
import io.leadsuite.lead.domain.Lead;
import io.leadsuite.lead.domain.LeadScore;
import io.leadsuite.lead.domain.LeadStatus;
import io.leadsuite.lead.domain.RoutingRule;

class RoutingRuleTest {

    private static Lead lead(int score, String grade) {
        Lead lead = new Lead();
        lead.id = UUID.randomUUID();
        lead.flowId = "marketing-lead";
        lead.topic = "solar-panels";
        lead.status = LeadStatus.OPEN;
        lead.scores = score < 0 ? List.of()
                : List.of(new LeadScore(UUID.randomUUID(), "m", score, grade, 50, score >= 50));
        return lead;
    }

    private static RoutingRule rule() {
        RoutingRule rule = new RoutingRule();
        rule.enabled = true;
        rule.stage = "TELEPROSPECTING_ACCEPTANCE";
        rule.topics = "solar-panels,heat-pumps";
        rule.grades = "A,B";
        rule.countries = "PT,ES";
        rule.minScore = 50;
        rule.maxScore = 100;
        rule.team = "telesales-lisbon";
        return rule;
    }

    @Test
    void everyConditionMustHoldAndNullMeansAny() {
        RoutingRule rule = rule();
        assertTrue(rule.matches(lead(60, "b"), "TELEPROSPECTING_ACCEPTANCE", "pt"));
        assertFalse(rule.matches(lead(60, "B"), "INQUIRY", "PT"), "another stage");
        assertFalse(rule.matches(lead(60, "B"), "TELEPROSPECTING_ACCEPTANCE", "FR"), "another country");
        assertFalse(rule.matches(lead(60, "B"), "TELEPROSPECTING_ACCEPTANCE", null), "unknown country");
        assertFalse(rule.matches(lead(60, "C"), "TELEPROSPECTING_ACCEPTANCE", "PT"), "another grade");
        assertFalse(rule.matches(lead(40, "B"), "TELEPROSPECTING_ACCEPTANCE", "PT"), "below the range");
        assertFalse(rule.matches(lead(140, "A"), "TELEPROSPECTING_ACCEPTANCE", "PT"), "above the range");
        assertFalse(rule.matches(lead(-1, null), "TELEPROSPECTING_ACCEPTANCE", "PT"), "no score yet");
        Lead otherTopic = lead(60, "B");
        otherTopic.topic = "boilers";
        assertFalse(rule.matches(otherTopic, "TELEPROSPECTING_ACCEPTANCE", "PT"));
        rule.enabled = false;
        assertFalse(rule.matches(lead(60, "B"), "TELEPROSPECTING_ACCEPTANCE", "PT"), "disabled");

        RoutingRule any = new RoutingRule();
        any.enabled = true;
        any.team = "marketing";
        assertTrue(any.matches(lead(-1, null), "INQUIRY", null));
    }

    @Test
    void invalidRulesNameEveryBadField() {
        InvalidValues refused = assertThrows(InvalidValues.class, () -> RoutingService.validate(
                new RoutingService.RuleDefinition(" ", -1, true, null, "not a stage", List.of("a,b"), null,
                        List.of("PRT"), 10, 5, null, List.of(""))));
        List<String> fields = refused.violations().stream().map(e -> e.field()).toList();
        assertTrue(fields.containsAll(List.of("name", "team", "stage", "minScore", "topics", "countries", "members",
                "priority")), fields::toString);
    }
}
