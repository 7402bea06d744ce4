package io.leadsuite.scoring.domain;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import io.vertx.core.json.JsonObject;

/** Validation of a scoring model as a client writes it: every problem is named with its field. */
class ScoringModelInputTest {

    private static final String VALID = """
            {"name": "Solar", "scope": {"topics": ["solar-panels"]}, "salesReadyThreshold": 60,
             "grades": [{"name": "Cold", "minScore": 0}, {"name": "Warm", "minScore": 30}, {"name": "Hot", "minScore": 60}],
             "rules": [
               {"id": "pricing", "interactionType": "page_visited", "attribute": "url", "operator": "contains",
                "value": "/pricing", "points": 20, "maxTimes": 3, "windowDays": 30},
               {"id": "unsub", "kind": "BEHAVIOUR", "interactionType": "UNSUBSCRIBED", "points": -40},
               {"id": "director", "kind": "DEMOGRAPHIC", "attribute": "jobTitle", "operator": "CONTAINS",
                "value": "director", "points": 15},
               {"kind": "LEAD", "attribute": "budget", "operator": "GREATER_OR_EQUAL", "value": 10000, "points": 20},
               {"id": "iberia", "kind": "DEMOGRAPHIC", "attribute": "country", "operator": "IN", "value": ["PT", "ES"],
                "points": 5}]}""";

    @Test
    void aValidModelIsRead() {
        ScoringModelInput.Result result = ScoringModelInput.read(new JsonObject(VALID));
        assertTrue(result.valid(), result.violations().toString());
        ScoringModelInput input = result.input();
        assertEquals(5, input.rules().size());
        assertEquals("PAGE_VISITED", input.rules().get(0).interactionType());
        assertEquals(Operator.CONTAINS, input.rules().get(0).operator());
        assertEquals("rule-4", input.rules().get(3).id(), "a rule without id gets one");
        assertEquals(List.of("PT", "ES"), input.rules().get(4).value());
        ScoringModelInput again = ScoringModelInput
                .read(new JsonObject().put("name", input.name()).put("scope", input.scopeJson())
                        .put("salesReadyThreshold", 60).put("grades", input.gradesJson()).put("rules", input.rulesJson()))
                .input();
        assertEquals(input, again, "what is stored reads back the same");
    }

    static Stream<Arguments> invalid() {
        return Stream.of(
                Arguments.of("empty name", "/name", "\"  \"", "name"),
                Arguments.of("missing threshold", "/salesReadyThreshold", null, "salesReadyThreshold"),
                Arguments.of("unknown interaction type", "/rules/0/interactionType", "\"EMAIL_BOUNCED\"",
                        "rules[0].interactionType"),
                Arguments.of("unknown operator", "/rules/0/operator", "\"LIKE\"", "rules[0].operator"),
                Arguments.of("unknown kind", "/rules/1/kind", "\"SOCIAL\"", "rules[1].kind"),
                Arguments.of("window of 0 days", "/rules/0/windowDays", "0", "rules[0].windowDays"),
                Arguments.of("window not a number", "/rules/0/windowDays", "\"week\"", "rules[0].windowDays"),
                Arguments.of("maxTimes of 0", "/rules/0/maxTimes", "0", "rules[0].maxTimes"),
                Arguments.of("fractional points", "/rules/0/points", "1.5", "rules[0].points"),
                Arguments.of("IN without a list", "/rules/4/value", "\"PT\"", "rules[4].value"),
                Arguments.of("GREATER_OR_EQUAL without a number", "/rules/3/value", "\"big\"", "rules[3].value"),
                Arguments.of("unknown contact attribute", "/rules/2/attribute", "\"shoeSize\"", "rules[2].attribute"),
                Arguments.of("overlapping bands", "/grades/1/minScore", "0", "grades[1].minScore"),
                Arguments.of("unordered bands", "/grades/1/minScore", "70", "grades[2].minScore"),
                Arguments.of("threshold below the bands", "/salesReadyThreshold", "-5", "salesReadyThreshold"),
                Arguments.of("topics not a list", "/scope/topics", "\"solar\"", "scope.topics"),
                Arguments.of("repeated rule id", "/rules/1/id", "\"pricing\"", "rules[1].id"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("invalid")
    void eachProblemIsNamed(String name, String pointer, String value, String field) {
        JsonObject json = new JsonObject(VALID);
        set(json, pointer, value == null ? null : new JsonObject("{\"v\": " + value + "}").getValue("v"));
        ScoringModelInput.Result result = ScoringModelInput.read(json);
        assertTrue(result.violations().stream().anyMatch(v -> v.field().equals(field)),
                field + " in " + result.violations());
    }

    @Test
    void everyProblemIsReportedAtOnce() {
        ScoringModelInput.Result result = ScoringModelInput.read(new JsonObject("""
                {"name": "", "salesReadyThreshold": -10,
                 "grades": [{"name": "A", "minScore": 50}, {"name": "B", "minScore": 50}],
                 "rules": [{"interactionType": "NOPE", "points": 1}, {"operator": "LIKE", "attribute": "x", "value": 1,
                 "points": 1, "windowDays": -1}]}"""));
        List<String> fields = result.violations().stream().map(io.leadsuite.kit.domain.Violation::field).toList();
        assertEquals(List.of("name", "grades[1].minScore", "salesReadyThreshold", "rules[0].interactionType",
                "rules[1].operator", "rules[1].windowDays"), fields);
    }

    private static void set(JsonObject root, String pointer, Object value) {
        String[] parts = pointer.substring(1).split("/");
        Object node = root;
        for (int i = 0; i < parts.length - 1; i++) {
            node = node instanceof JsonObject o ? o.getValue(parts[i])
                    : ((io.vertx.core.json.JsonArray) node).getValue(Integer.parseInt(parts[i]));
        }
        String last = parts[parts.length - 1];
        if (node instanceof JsonObject o) {
            if (value == null) {
                o.remove(last);
            } else {
                o.put(last, value);
            }
        } else {
            ((io.vertx.core.json.JsonArray) node).set(Integer.parseInt(last), value);
        }
    }
}
