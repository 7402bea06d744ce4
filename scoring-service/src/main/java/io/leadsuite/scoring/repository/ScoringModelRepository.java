package io.leadsuite.scoring.repository;

import java.util.List;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import io.leadsuite.scoring.domain.ModelStatus;
import io.leadsuite.scoring.domain.ScoringModel;
import io.leadsuite.scoring.domain.ScoringModelVersion;
import io.smallrye.mutiny.Uni;

/** The queries of scoring models and their versions ({@code scoring_model}, {@code scoring_model_version}). */
@ApplicationScoped
public class ScoringModelRepository {

    /** Every model, by name. */
    public Uni<List<ScoringModel>> all() {
        return ScoringModel.list("order by name, id");
    }

    /** The published models, in a stable order (oldest first). */
    public Uni<List<ScoringModel>> published() {
        return ScoringModel.list("status = ?1 order by createdAt, id", ModelStatus.PUBLISHED);
    }

    /** The model's versions, oldest first. */
    public Uni<List<ScoringModelVersion>> versionsOf(UUID modelId) {
        return ScoringModelVersion.list("modelId = ?1 order by version", modelId);
    }

    /** The pending draft of a published model (its next version), or null. */
    public Uni<ScoringModelVersion> draftOf(ScoringModel model) {
        if (model.status != ModelStatus.PUBLISHED) {
            return Uni.createFrom().nullItem();
        }
        return ScoringModelVersion.<ScoringModelVersion> find("modelId = ?1 and version > ?2 and status = ?3",
                model.id, model.version, ModelStatus.DRAFT).firstResult();
    }
}
