package io.leadsuite.scoring.rest;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

import io.leadsuite.scoring.domain.ScoringModel;

/** A scoring model as the API shows it (CONTRACT.md, "Scoring"). */
public record ModelView(UUID id, String name, String description, Scope scope, int salesReadyThreshold,
        List<Grade> grades, List<Rule> rules, String status, int version, Instant createdAt, Instant updatedAt) {

    /** The lead topics the model scores; empty for every topic. */
    public record Scope(List<String> topics) {
    }

    public record Grade(String name, int minScore) {
    }

    public record Rule(String id, String kind, String interactionType, String attribute, String operator, Object value,
            Integer points, Integer maxTimes, Integer windowDays) {
    }

    static ModelView of(ScoringModel m) {
        io.vertx.core.json.JsonArray scopeTopics = m.scope().getJsonArray("topics");
        List<String> topics = scopeTopics == null ? List.of() : scopeTopics.stream().map(String::valueOf).toList();
        List<Grade> grades = m.grades().stream().map(g -> (io.vertx.core.json.JsonObject) g)
                .map(g -> new Grade(g.getString("name"), g.getInteger("minScore", 0))).toList();
        List<Rule> rules = m.rules().stream().map(r -> (io.vertx.core.json.JsonObject) r).map(r -> {
            Object value = r.getValue("value");
            if (value instanceof io.vertx.core.json.JsonArray array) {
                value = array.getList();
            } else if (value instanceof io.vertx.core.json.JsonObject object) {
                value = object.getMap();
            }
            return new Rule(r.getString("id"), r.getString("kind", "BEHAVIOUR"), r.getString("interactionType"),
                    r.getString("attribute"), r.getString("operator"), value, r.getInteger("points"),
                    r.getInteger("maxTimes"), r.getInteger("windowDays"));
        }).toList();
        return new ModelView(m.id, m.name, m.description, new Scope(topics), m.salesReadyThreshold, grades, rules,
                m.status, m.version, m.createdAt, m.updatedAt);
    }
}
