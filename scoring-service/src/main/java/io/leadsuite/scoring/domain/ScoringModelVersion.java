package io.leadsuite.scoring.domain;

import java.io.Serializable;
import java.time.Instant;
import java.util.UUID;

import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.IdClass;
import jakarta.persistence.Table;

/**
 * One version of a scoring model. A version once published is never changed again (it is SUPERSEDED by the next
 * published version, or RETIRED); only a DRAFT version is edited in place.
 */
@Entity
@Table(name = "scoring_model_version")
@IdClass(ScoringModelVersion.Key.class)
public class ScoringModelVersion extends ScoringModelContent {

    @Id
    public UUID modelId;
    @Id
    public int version;
    public Instant createdAt;
    public Instant publishedAt;

    /** The model row's definition as it would be with this version. */
    public ScoringModel asModel(ScoringModel model) {
        ScoringModel view = new ScoringModel();
        view.id = modelId;
        view.version = version;
        view.copy(this);
        view.createdAt = model == null ? createdAt : model.createdAt;
        view.updatedAt = createdAt;
        return view;
    }

    /** The primary key: a model's version number. */
    public record Key(UUID modelId, int version) implements Serializable {
    }
}
