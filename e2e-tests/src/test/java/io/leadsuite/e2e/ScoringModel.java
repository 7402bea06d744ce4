package io.leadsuite.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.Map;

import io.restassured.specification.RequestSpecification;

/**
 * The published scoring model as the API describes it, and what a number of attribute-less interactions of one type
 * are worth under its behaviour rules (points times the count, capped by maxTimes), computed independently of
 * scoring-service.
 */
final class ScoringModel {

    final String id;
    final int threshold;
    private final List<Map<String, Object>> rules;

    private ScoringModel(Map<String, Object> model) {
        this.id = (String) model.get("id");
        this.threshold = ((Number) model.get("salesReadyThreshold")).intValue();
        @SuppressWarnings("unchecked")
        List<Map<String, Object>> r = (List<Map<String, Object>>) model.get("rules");
        this.rules = r;
    }

    /** A model as its JSON members (a generated client's model converted to a map, say). */
    static ScoringModel of(Map<String, Object> model) {
        return new ScoringModel(model);
    }

    static ScoringModel published(RequestSpecification api) {
        List<Map<String, Object>> models = api.get("/api/scoring/models").then().statusCode(200).extract().jsonPath()
                .getList("items.findAll { it.status == 'PUBLISHED' }");
        assertEquals(1, models.size(), "one published model (the default) in a fresh suite: " + models);
        return new ScoringModel(models.get(0));
    }

    int pointsFor(String interactionType, int count) {
        int total = 0;
        for (Map<String, Object> rule : rules) {
            if ("BEHAVIOUR".equals(rule.get("kind")) && interactionType.equals(rule.get("interactionType"))
                    && rule.get("attribute") == null) {
                int times = rule.get("maxTimes") == null ? count
                        : Math.min(count, ((Number) rule.get("maxTimes")).intValue());
                total += ((Number) rule.get("points")).intValue() * times;
            }
        }
        return total;
    }

    int interactionsToReach(String interactionType, int needed) {
        for (int n = 1; n <= 1000; n++) {
            if (pointsFor(interactionType, n) >= needed) {
                return n;
            }
        }
        throw new IllegalStateException(interactionType + " alone cannot add " + needed + " points");
    }
}
