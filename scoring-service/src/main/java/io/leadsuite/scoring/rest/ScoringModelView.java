package io.leadsuite.scoring.rest;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

import io.leadsuite.scoring.domain.Operator;
import io.leadsuite.scoring.domain.RuleKind;
import io.leadsuite.scoring.domain.ScoringModel;
import io.leadsuite.scoring.domain.ScoringModelVersion;
import io.leadsuite.scoring.service.ModelService;

/**
 * A scoring model as the API shows it (CONTRACT.md, "Scoring"): the version that scores (or the draft of a model never
 * published); {@code draftVersion} names a pending edit of a published model, readable under {@code /versions}.
 */
@Schema(name = "ScoringModel")
public record ScoringModelView(UUID id, String name, String description, Scope scope, int salesReadyThreshold,
        List<Grade> grades, List<Rule> rules,
        @Schema(enumeration = {
                "DRAFT", "PUBLISHED", "RETIRED", "SUPERSEDED" }) String status,
        int version, Integer draftVersion, Instant createdAt,
        Instant updatedAt){

    /** The lead topics the model scores; empty for every topic. */
    @Schema(name = "ModelScope")
    public record Scope(List<String> topics) {
    }

    @Schema(name = "GradeBand")
    public record Grade(String name, int minScore) {
    }

    @Schema(name = "ScoringRule")
    public record Rule(String id, @Schema(implementation = RuleKind.class) String kind,
            @Schema(description = """
                    EMAIL_OPENED, EMAIL_CLICKED, PAGE_VISITED, FORM_SUBMITTED, EVENT_REGISTERED, EVENT_ATTENDED, \
                    UNSUBSCRIBED or CUSTOM:<name> (BEHAVIOUR rules)""") String interactionType,
            String attribute, @Schema(implementation = Operator.class) String operator,
            @Schema(description = "what the attribute is compared with: text, a number, or a list (IN)") Object value,
            Integer points, Integer maxTimes, Integer windowDays) {
    }

    static ScoringModelView of(ModelService.ModelState state) {
        ScoringModelView view = of(state.model());
        if (state.draft() == null) {
            return view;
        }
        return new ScoringModelView(view.id, view.name, view.description, view.scope, view.salesReadyThreshold, view.grades,
                view.rules, view.status, view.version, state.draft().version, view.createdAt, view.updatedAt);
    }

    static ScoringModelView of(ScoringModelVersion version) {
        return of(version.asModel(null));
    }

    static ScoringModelView of(ScoringModel m) {
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
        return new ScoringModelView(m.id, m.name, m.description, new Scope(topics), m.salesReadyThreshold, grades, rules,
                m.status.name(), m.version, null, m.createdAt, m.updatedAt);
    }
}
