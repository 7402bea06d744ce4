package io.leadsuite.scoring.domain;

import java.time.Instant;
import java.util.UUID;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import org.hibernate.annotations.ColumnTransformer;

import io.quarkus.hibernate.reactive.panache.PanacheEntityBase;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/**
 * A scoring model as stored; scope, grades and rules are jsonb (see {@code V1__scoring.sql} for their shape), read and
 * written as JSON text. Models are written by migrations for now (the model API comes with its own issue).
 */
@Entity
@Table(name = "scoring_model")
public class ScoringModel extends PanacheEntityBase {

    public static final String DRAFT = "DRAFT";
    public static final String PUBLISHED = "PUBLISHED";
    public static final String RETIRED = "RETIRED";

    @Id
    public UUID id;
    public String name;
    public String description;
    public String status;
    /** {@code scope} (jsonb) as JSON text, read and written through a cast. */
    @Column(name = "scope")
    @ColumnTransformer(read = "cast(scope as text)", write = "cast(cast(? as text) as jsonb)")
    public String scopeJson;
    public int salesReadyThreshold;
    /** {@code grades} (jsonb) as JSON text, read and written through a cast. */
    @Column(name = "grades")
    @ColumnTransformer(read = "cast(grades as text)", write = "cast(cast(? as text) as jsonb)")
    public String gradesJson;
    /** {@code rules} (jsonb) as JSON text, read and written through a cast. */
    @Column(name = "rules")
    @ColumnTransformer(read = "cast(rules as text)", write = "cast(cast(? as text) as jsonb)")
    public String rulesJson;
    public int version;
    public Instant createdAt;
    public Instant updatedAt;

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
