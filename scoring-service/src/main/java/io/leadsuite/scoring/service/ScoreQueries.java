package io.leadsuite.scoring.service;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Function;
import java.util.stream.Collectors;

import jakarta.enterprise.context.ApplicationScoped;

import io.leadsuite.kit.problem.ProblemException;
import io.leadsuite.scoring.domain.LeadScore;
import io.leadsuite.scoring.domain.RuleHit;
import io.leadsuite.scoring.domain.ScoringModel;
import io.leadsuite.scoring.domain.TrackedLead;
import io.quarkus.hibernate.reactive.panache.common.WithSession;
import io.smallrye.mutiny.Uni;

/** Reads a lead's scores and the rule hits behind them. */
@ApplicationScoped
public class ScoreQueries {

    /** A lead's score under one model. */
    public record ModelScoreView(UUID modelId, String modelName, int score, String grade, boolean salesReady,
            Instant updatedAt) {
    }

    /** One rule that fired. */
    public record HitView(String ruleId, String interactionId, int points, Instant occurredAt) {
    }

    /** Why a lead has its score under a model: the score is the sum of the hits' points. */
    public record Explanation(UUID leadId, UUID modelId, String modelName, int score, String grade, boolean salesReady,
            List<HitView> hits) {
    }

    /** The lead's scores under the published models; 404 when the lead is unknown. */
    @WithSession
    public Uni<List<ModelScoreView>> scores(UUID leadId) {
        return requireLead(leadId)
                .chain(() -> ScoringModel.<ScoringModel> list("status", ScoringModel.PUBLISHED))
                .chain(models -> {
                    Map<UUID, ScoringModel> byId = models.stream()
                            .collect(Collectors.toMap(m -> m.id, Function.identity()));
                    return LeadScore.<LeadScore> list("leadId = ?1 order by modelId", leadId)
                            .map(rows -> rows.stream().filter(r -> byId.containsKey(r.modelId))
                                    .map(r -> new ModelScoreView(r.modelId, byId.get(r.modelId).name, r.score, r.grade,
                                            r.salesReady, r.updatedAt))
                                    .toList());
                });
    }

    /** The hits behind the lead's score under the model, oldest first; 404 when either is unknown. */
    @WithSession
    public Uni<Explanation> explanation(UUID leadId, UUID modelId) {
        return requireLead(leadId)
                .chain(() -> ScoringModel.<ScoringModel> findById(modelId))
                .onItem().ifNull().failWith(() -> ProblemException.notFound("Scoring model", modelId))
                .chain(model -> LeadScore.<LeadScore> findById(new LeadScore.Key(leadId, modelId))
                        .onItem().ifNull()
                        .failWith(() -> ProblemException.notFound("Score of lead " + leadId + " under model", modelId))
                        .chain(score -> RuleHit.<RuleHit> list("leadId = ?1 and modelId = ?2 order by occurredAt, id",
                                leadId, modelId)
                                .map(hits -> new Explanation(leadId, modelId, model.name, score.score, score.grade,
                                        score.salesReady, hits.stream().map(h -> new HitView(h.ruleId,
                                                h.interactionId, h.points, h.occurredAt)).toList()))));
    }

    private static Uni<Void> requireLead(UUID leadId) {
        return TrackedLead.<TrackedLead> findById(leadId)
                .onItem().ifNull().failWith(() -> ProblemException.notFound("Lead", leadId))
                .replaceWithVoid();
    }
}
