package io.leadsuite.scoring.domain;

import jakarta.persistence.Column;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.MappedSuperclass;

import org.hibernate.annotations.ColumnTransformer;

import io.quarkus.hibernate.reactive.panache.PanacheEntityBase;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/**
 * What a scoring model says, stored alike in the model's row ({@link ScoringModel}: the version in force) and in each
 * of its versions ({@link ScoringModelVersion}): name, description, status, scope, threshold, grades and rules. Scope,
 * grades and rules are jsonb (see {@code V1__scoring.sql} for their shape), read and written as JSON text through a
 * cast.
 */
@MappedSuperclass
public abstract class ScoringModelContent extends PanacheEntityBase {

    public String name;
    public String description;
    @Enumerated(EnumType.STRING)
    public ModelStatus status;
    @Column(name = "scope")
    @ColumnTransformer(read = "cast(scope as text)", write = "cast(cast(? as text) as jsonb)")
    public String scopeJson;
    public int salesReadyThreshold;
    @Column(name = "grades")
    @ColumnTransformer(read = "cast(grades as text)", write = "cast(cast(? as text) as jsonb)")
    public String gradesJson;
    @Column(name = "rules")
    @ColumnTransformer(read = "cast(rules as text)", write = "cast(cast(? as text) as jsonb)")
    public String rulesJson;

    /** Takes a validated model's content (the status stays). */
    public void write(ScoringModelInput input) {
        name = input.name();
        description = input.description();
        scopeJson = input.scopeJson().encode();
        salesReadyThreshold = input.salesReadyThreshold();
        gradesJson = input.gradesJson().encode();
        rulesJson = input.rulesJson().encode();
    }

    /** Takes another row's content, its status included. */
    public void copy(ScoringModelContent from) {
        name = from.name;
        description = from.description;
        status = from.status;
        scopeJson = from.scopeJson;
        salesReadyThreshold = from.salesReadyThreshold;
        gradesJson = from.gradesJson;
        rulesJson = from.rulesJson;
    }

    public JsonObject scope() {
        return scopeJson == null ? new JsonObject() : new JsonObject(scopeJson);
    }

    public JsonArray grades() {
        return gradesJson == null ? new JsonArray() : new JsonArray(gradesJson);
    }

    public JsonArray rules() {
        return rulesJson == null ? new JsonArray() : new JsonArray(rulesJson);
    }
}
