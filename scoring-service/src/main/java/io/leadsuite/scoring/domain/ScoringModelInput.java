package io.leadsuite.scoring.domain;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

import io.leadsuite.kit.domain.Violation;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/**
 * A scoring model as a client writes it (create or edit), validated: {@link #read} reports every problem at once,
 * each naming its field ({@code rules[2].operator}), so a client can fix them all in one go.
 */
public record ScoringModelInput(String name, String description, List<String> topics, int salesReadyThreshold,
        List<GradeBand> grades, List<ScoringRule> rules) {

    public static final int MAX_NAME = 200;
    public static final int MAX_DESCRIPTION = 2000;
    public static final int MAX_TOPICS = 100;
    public static final int MAX_GRADES = 20;
    public static final int MAX_RULES = 200;
    public static final int MAX_POINTS = 100_000;
    public static final int MAX_TIMES = 1_000_000;
    public static final int MAX_WINDOW_DAYS = 3650;
    public static final int MAX_SCORE = 1_000_000_000;

    /** The contact attributes DEMOGRAPHIC rules may test (kept up to date from contact events). */
    public static final Set<String> CONTACT_ATTRIBUTES = Set.of("email", "firstName", "lastName", "company",
            "jobTitle", "industry", "country", "phone", "marketingConsent");
    /** The lead attributes LEAD rules may test (kept up to date from lead events). */
    public static final Set<String> LEAD_ATTRIBUTES = Set.of("topic", "source", "sourceRef", "status", "stage",
            "team", "owner", "budget", "currency", "timeframe", "need", "decisionMaker");

    /** The model, or the problems that keep it from being one. */
    public record Result(ScoringModelInput input, List<Violation> violations) {
        public boolean valid() {
            return violations.isEmpty();
        }
    }

    public static Result read(JsonObject json) {
        List<Violation> errors = new ArrayList<>();
        if (json == null) {
            return new Result(null, List.of(new Violation("", "a scoring model object is required")));
        }
        String name = text(json, "name", MAX_NAME, true, errors);
        String description = text(json, "description", MAX_DESCRIPTION, false, errors);
        List<String> topics = topics(json.getValue("scope"), errors);
        Integer threshold = integer(json, "salesReadyThreshold", "salesReadyThreshold", -MAX_SCORE, MAX_SCORE, true,
                errors);
        List<GradeBand> grades = grades(json.getValue("grades"), errors);
        if (threshold != null && !grades.isEmpty() && threshold < grades.get(0).minScore()) {
            errors.add(new Violation("salesReadyThreshold", "must lie within the grade bands (at least "
                    + grades.get(0).minScore() + ", the lowest band's minScore)"));
        }
        List<ScoringRule> rules = rules(json.getValue("rules"), errors);
        if (!errors.isEmpty()) {
            return new Result(null, List.copyOf(errors));
        }
        return new Result(new ScoringModelInput(name.strip(), description, topics, threshold, grades, rules), List.of());
    }

    private static List<String> topics(Object scope, List<Violation> errors) {
        List<String> topics = new ArrayList<>();
        if (scope == null) {
            return topics;
        }
        if (!(scope instanceof JsonObject object)) {
            errors.add(new Violation("scope", "must be an object {\"topics\": [...]}"));
            return topics;
        }
        JsonArray array = list(object.getValue("topics"), "scope.topics", "a list of topics (empty for every topic)",
                MAX_TOPICS, "topics", errors);
        if (array == null) {
            return topics;
        }
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < array.size(); i++) {
            Object topic = array.getValue(i);
            String field = "scope.topics[" + i + "]";
            if (!(topic instanceof String s) || s.isBlank() || s.length() > 200 || s.indexOf('\u0000') >= 0) {
                errors.add(new Violation(field, "must be a non-blank text of at most 200 characters"));
            } else if (!seen.add(CompiledModel.normaliseTopic(s))) {
                errors.add(new Violation(field, "repeats the topic '" + s.strip() + "'"));
            } else {
                topics.add(s.strip());
            }
        }
        return topics;
    }

    private static List<GradeBand> grades(Object value, List<Violation> errors) {
        List<GradeBand> grades = new ArrayList<>();
        JsonArray array = list(value, "grades", "a list of {name, minScore}, lowest band first", MAX_GRADES, "bands",
                errors);
        if (array == null) {
            return grades;
        }
        Set<String> names = new HashSet<>();
        GradeBand previous = null;
        for (int i = 0; i < array.size(); i++) {
            String field = "grades[" + i + "]";
            if (!(array.getValue(i) instanceof JsonObject band)) {
                errors.add(new Violation(field, "must be an object {name, minScore}"));
                continue;
            }
            String name = text(band, "name", 50, true, errors, field + ".name");
            Integer min = integer(band, "minScore", field + ".minScore", -MAX_SCORE, MAX_SCORE, true, errors);
            if (name == null || min == null) {
                continue;
            }
            if (!names.add(name.strip().toLowerCase(Locale.ROOT))) {
                errors.add(new Violation(field + ".name", "repeats the band name '" + name.strip() + "'"));
            }
            GradeBand current = new GradeBand(name.strip(), min);
            if (previous != null && min == previous.minScore()) {
                errors.add(new Violation(field + ".minScore", "overlaps band '" + previous.name()
                        + "', which starts at the same score " + min));
            } else if (previous != null && min < previous.minScore()) {
                errors.add(new Violation(field + ".minScore", "bands must be ordered by minScore, lowest first ("
                        + min + " after " + previous.minScore() + ")"));
            }
            previous = current;
            grades.add(current);
        }
        return grades;
    }

    private static List<ScoringRule> rules(Object value, List<Violation> errors) {
        List<ScoringRule> rules = new ArrayList<>();
        JsonArray array = list(value, "rules", "a list of rules", MAX_RULES, "rules", errors);
        if (array == null) {
            return rules;
        }
        Set<String> ids = new HashSet<>();
        for (int i = 0; i < array.size(); i++) {
            String field = "rules[" + i + "]";
            if (!(array.getValue(i) instanceof JsonObject rule)) {
                errors.add(new Violation(field, "must be a rule object"));
                continue;
            }
            ScoringRule parsed = rule(rule, field, i, errors);
            if (parsed != null) {
                if (!ids.add(parsed.id())) {
                    errors.add(new Violation(field + ".id", "repeats the rule id '" + parsed.id() + "'"));
                }
                rules.add(parsed);
            }
        }
        return rules;
    }

    /**
     * The list a field holds (topics, grade bands, rules), or null when it holds none: absent, not a list (reported as
     * "must be {@code shape}") or longer than {@code max} (reported as "at most {@code max} {@code items}").
     */
    private static JsonArray list(Object value, String field, String shape, int max, String items,
            List<Violation> errors) {
        if (value == null) {
            return null;
        }
        if (!(value instanceof JsonArray array)) {
            errors.add(new Violation(field, "must be " + shape));
            return null;
        }
        if (array.size() > max) {
            errors.add(new Violation(field, "at most " + max + " " + items));
            return null;
        }
        return array;
    }

    private static ScoringRule rule(JsonObject json, String field, int index, List<Violation> errors) {
        int before = errors.size();
        String id = text(json, "id", 100, false, errors, field + ".id");
        if (id == null || id.isBlank()) {
            id = "rule-" + (index + 1);
        }
        RuleKind kind = RuleKind.BEHAVIOUR;
        Object rawKind = json.getValue("kind");
        if (rawKind != null) {
            kind = enumValue(RuleKind.class, rawKind);
            if (kind == null) {
                errors.add(new Violation(field + ".kind", "must be one of BEHAVIOUR, DEMOGRAPHIC, LEAD"));
            }
        }
        String type = null;
        Object rawType = json.getValue("interactionType");
        if (rawType != null) {
            type = rawType instanceof String s ? InteractionTypes.normalise(s).orElse(null) : null;
            if (type == null) {
                errors.add(new Violation(field + ".interactionType", "unknown interaction type '" + rawType
                        + "': must be one of " + String.join(", ", InteractionTypes.STANDARD.stream().sorted().toList())
                        + " or CUSTOM:<name>"));
            }
        }
        String attribute = text(json, "attribute", 100, false, errors, field + ".attribute");
        Operator operator = null;
        Object rawOperator = json.getValue("operator");
        if (rawOperator != null) {
            operator = enumValue(Operator.class, rawOperator);
            if (operator == null) {
                errors.add(new Violation(field + ".operator", "unknown operator '" + rawOperator
                        + "': must be one of EQUALS, CONTAINS, STARTS_WITH, IN, GREATER_OR_EQUAL"));
            }
        }
        Object ruleValue = json.getValue("value");
        if (ruleValue instanceof JsonArray list) {
            ruleValue = list.getList();
        }
        Integer points = integer(json, "points", field + ".points", -MAX_POINTS, MAX_POINTS, true, errors);
        Integer maxTimes = integer(json, "maxTimes", field + ".maxTimes", 1, MAX_TIMES, false, errors);
        Integer windowDays = integer(json, "windowDays", field + ".windowDays", 1, MAX_WINDOW_DAYS, false, errors);
        if (kind == RuleKind.BEHAVIOUR) {
            if (attribute != null && attribute.isBlank()) {
                errors.add(new Violation(field + ".attribute", "must not be blank"));
            }
        } else if (kind != null) {
            Set<String> known = kind == RuleKind.DEMOGRAPHIC ? CONTACT_ATTRIBUTES : LEAD_ATTRIBUTES;
            if (attribute == null) {
                errors.add(new Violation(field + ".attribute", "a " + kind + " rule must name an attribute, one of "
                        + String.join(", ", known.stream().sorted().toList())));
            } else if (!known.contains(attribute)) {
                errors.add(new Violation(field + ".attribute", "unknown " + (kind == RuleKind.DEMOGRAPHIC
                        ? "contact"
                        : "lead") + " attribute '" + attribute + "': must be one of "
                        + String.join(", ", known.stream().sorted().toList())));
            }
            for (String behaviourOnly : List.of("interactionType", "maxTimes", "windowDays")) {
                if (json.getValue(behaviourOnly) != null) {
                    errors.add(new Violation(field + "." + behaviourOnly, "only BEHAVIOUR rules have one"));
                }
            }
        }
        if (operator != null) {
            if (attribute == null) {
                errors.add(new Violation(field + ".attribute", "an operator needs an attribute to test"));
            }
            checkValue(operator, ruleValue, field + ".value", errors);
        } else if (ruleValue != null && rawOperator == null) {
            errors.add(new Violation(field + ".operator", "a value needs an operator"));
        }
        if (errors.size() > before) {
            return null;
        }
        return new ScoringRule(id.strip(), kind, type, attribute, operator, ruleValue, points, maxTimes, windowDays);
    }

    private static void checkValue(Operator operator, Object value, String field, List<Violation> errors) {
        switch (operator) {
            case IN -> {
                if (!(value instanceof List<?> list) || list.isEmpty() || list.size() > 1000
                        || list.stream().anyMatch(v -> !scalar(v))) {
                    errors.add(new Violation(field, "IN needs a non-empty list of texts or numbers"));
                }
            }
            case GREATER_OR_EQUAL -> {
                if (ScoringRule.number(value).isEmpty()) {
                    errors.add(new Violation(field, "GREATER_OR_EQUAL needs a number"));
                }
            }
            default -> {
                if (!scalar(value) || (value instanceof String s && s.isEmpty())) {
                    errors.add(new Violation(field, operator + " needs a non-empty text or a number"));
                }
            }
        }
    }

    private static boolean scalar(Object value) {
        return (value instanceof String s && s.length() <= 2000 && s.indexOf('\u0000') < 0) || value instanceof Number
                || value instanceof Boolean;
    }

    private static <E extends Enum<E>> E enumValue(Class<E> type, Object raw) {
        if (!(raw instanceof String s)) {
            return null;
        }
        try {
            return Enum.valueOf(type, s.strip().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    private static String text(JsonObject json, String key, int max, boolean required, List<Violation> errors) {
        return text(json, key, max, required, errors, key);
    }

    private static String text(JsonObject json, String key, int max, boolean required, List<Violation> errors,
            String field) {
        Object value = json.getValue(key);
        if (value == null) {
            if (required) {
                errors.add(new Violation(field, "is required"));
            }
            return null;
        }
        if (!(value instanceof String s)) {
            errors.add(new Violation(field, "must be a text"));
            return null;
        }
        if (required && s.isBlank()) {
            errors.add(new Violation(field, "must not be empty"));
            return null;
        }
        if (s.length() > max || s.indexOf('\u0000') >= 0) {
            errors.add(new Violation(field, "must be at most " + max + " characters without NUL"));
            return null;
        }
        return s;
    }

    private static Integer integer(JsonObject json, String key, String field, int min, int max, boolean required,
            List<Violation> errors) {
        Object value = json.getValue(key);
        if (value == null) {
            if (required) {
                errors.add(new Violation(field, "is required"));
            }
            return null;
        }
        if (!(value instanceof Number n) || !isInteger(n)) {
            errors.add(new Violation(field, "must be a whole number"));
            return null;
        }
        long v = n.longValue();
        if (v < min || v > max) {
            errors.add(new Violation(field, "must be between " + min + " and " + max));
            return null;
        }
        return (int) v;
    }

    private static boolean isInteger(Number n) {
        if (n instanceof Integer || n instanceof Long || n instanceof Short || n instanceof Byte) {
            return true;
        }
        try {
            return new BigDecimal(n.toString()).stripTrailingZeros().scale() <= 0;
        } catch (NumberFormatException e) {
            return false;
        }
    }

    /** The input as stored jsonb fields: scope, grades, rules. */
    public JsonObject scopeJson() {
        return new JsonObject().put("topics", new JsonArray(new ArrayList<>(topics)));
    }

    public JsonArray gradesJson() {
        JsonArray array = new JsonArray();
        grades.forEach(g -> array.add(new JsonObject().put("name", g.name()).put("minScore", g.minScore())));
        return array;
    }

    public JsonArray rulesJson() {
        JsonArray array = new JsonArray();
        for (ScoringRule r : rules) {
            JsonObject json = new JsonObject().put("id", r.id()).put("kind", r.kind().name());
            putIf(json, "interactionType", r.interactionType());
            putIf(json, "attribute", r.attribute());
            putIf(json, "operator", r.operator() == null ? null : r.operator().name());
            putIf(json, "value", r.value() instanceof List<?> l ? new JsonArray(new ArrayList<>(l)) : r.value());
            json.put("points", r.points());
            putIf(json, "maxTimes", r.maxTimes());
            putIf(json, "windowDays", r.windowDays());
            array.add(json);
        }
        return array;
    }

    private static void putIf(JsonObject json, String key, Object value) {
        if (value != null) {
            json.put(key, value);
        }
    }

}
