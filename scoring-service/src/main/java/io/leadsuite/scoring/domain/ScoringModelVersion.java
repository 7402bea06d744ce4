package io.leadsuite.scoring.domain;

import java.io.Serializable;
import java.time.Instant;
import java.util.Objects;
import java.util.UUID;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.IdClass;
import jakarta.persistence.Table;

import org.hibernate.annotations.ColumnTransformer;

import io.quarkus.hibernate.reactive.panache.PanacheEntityBase;

/**
 * One version of a scoring model. A version once published is never changed again (it is SUPERSEDED by the next
 * published version, or RETIRED); only a DRAFT version is edited in place.
 */
@Entity
@Table(name = "scoring_model_version")
@IdClass(ScoringModelVersion.Key.class)
public class ScoringModelVersion extends PanacheEntityBase {

    public static final String SUPERSEDED = "SUPERSEDED";

    @Id
    public UUID modelId;
    @Id
    public int version;
    public String status;
    public String name;
    public String description;
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
    public Instant createdAt;
    public Instant publishedAt;

    public void write(ModelSpec spec) {
        name = spec.name();
        description = spec.description();
        scopeJson = spec.scopeJson().encode();
        salesReadyThreshold = spec.salesReadyThreshold();
        gradesJson = spec.gradesJson().encode();
        rulesJson = spec.rulesJson().encode();
    }

    /** The model row's definition as it would be with this version. */
    public ScoringModel asModel(ScoringModel model) {
        ScoringModel view = new ScoringModel();
        view.id = modelId;
        view.version = version;
        view.status = status;
        view.name = name;
        view.description = description;
        view.scopeJson = scopeJson;
        view.salesReadyThreshold = salesReadyThreshold;
        view.gradesJson = gradesJson;
        view.rulesJson = rulesJson;
        view.createdAt = model == null ? createdAt : model.createdAt;
        view.updatedAt = createdAt;
        return view;
    }

    public static class Key implements Serializable {
        public UUID modelId;
        public int version;

        public Key() {
        }

        public Key(UUID modelId, int version) {
            this.modelId = modelId;
            this.version = version;
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Key k && Objects.equals(modelId, k.modelId) && version == k.version;
        }

        @Override
        public int hashCode() {
            return Objects.hash(modelId, version);
        }
    }
}
