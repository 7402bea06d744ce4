package io.leadsuite.scoring.service;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Function;
import java.util.stream.Collectors;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

import io.leadsuite.kit.domain.NotFound;
import io.leadsuite.scoring.domain.LeadScore;
import io.leadsuite.scoring.domain.RuleKind;
import io.leadsuite.scoring.domain.ScoringModel;
import io.leadsuite.scoring.domain.TrackedLead;
import io.leadsuite.scoring.repository.ScoringModelRepository;
import io.leadsuite.scoring.repository.TrackedLeadRepository;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;

/** Reads a lead's scores and the rule hits behind them. */
@ApplicationScoped
public class ScoreQueries {

    @Inject
    TrackedLeadRepository trackedLeads;
    @Inject
    ScoringModelRepository models;

    /** A lead's score under one model. */
    @Schema(name = "ModelScore")
    public record ModelScoreView(UUID modelId, String modelName, int score, String grade, boolean salesReady,
            Instant updatedAt) {
    }

    /**
     * One rule hit behind a score: the rule, the interaction (null for a DEMOGRAPHIC or LEAD rule, which holds for the
     * contact or lead), when it happened (for a fact: since when it holds), its points and when they expire (null:
     * never).
     */
    @Schema(name = "RuleHit")
    public record RuleHitView(String ruleId, @Schema(implementation = RuleKind.class) String kind, String interactionId,
            String interactionType, int points,
            Instant occurredAt, Instant expiresAt) {
    }

    /** One change of a lead's standing under a model. */
    @Schema(name = "ScoreHistoryEntry")
    public record HistoryView(long id, UUID modelId, int modelVersion, int score, String grade, boolean salesReady,
            @Schema(enumeration = {
                    "INTERACTION", "DECAY", "RESCORE", "ATTRIBUTES" }) String cause,
            String interactionId, Instant at){
    }

    /** A page of history, oldest first; {@code next} is the cursor of the next page, or null. */
    @Schema(name = "ScoreHistoryPage")
    public record HistoryPage(List<HistoryView> items, String next) {
    }

    /** Why a lead has its score under a model: the score is the sum of the hits' points. */
    @Schema(name = "ScoreExplanation")
    public record Explanation(UUID leadId, UUID modelId, String modelName, int score, String grade, boolean salesReady,
            List<RuleHitView> hits) {
    }

    /** The lead's scores under the published models; 404 when the lead is unknown. */
    public Uni<List<ModelScoreView>> scores(UUID leadId) {
        return Panache.withSession(() -> requireLead(leadId)
                .chain(() -> models.published())
                .chain(published -> {
                    Map<UUID, ScoringModel> byId = published.stream()
                            .collect(Collectors.toMap(m -> m.id, Function.identity()));
                    return trackedLeads.scoresOf(leadId)
                            .map(rows -> rows.stream().filter(r -> byId.containsKey(r.modelId))
                                    .map(r -> new ModelScoreView(r.modelId, byId.get(r.modelId).name, r.score, r.grade,
                                            r.salesReady, r.updatedAt))
                                    .toList());
                }));
    }

    /** The hits behind the lead's score under the model, oldest first; 404 when either is unknown. */
    public Uni<Explanation> explanation(UUID leadId, UUID modelId) {
        return Panache.withSession(() -> requireLead(leadId)
                .chain(() -> ScoringModel.<ScoringModel> findById(modelId))
                .onItem().ifNull().failWith(() -> new NotFound("Scoring model", modelId))
                .chain(model -> LeadScore.<LeadScore> findById(new LeadScore.Key(leadId, modelId))
                        .onItem().ifNull()
                        .failWith(() -> new NotFound("Score of lead " + leadId + " under model", modelId))
                        .chain(score -> trackedLeads.explainedHits(leadId, modelId).map(hits -> {
                            Map<String, String> kinds = new java.util.HashMap<>();
                            ModelCatalog.compile(model).rules().forEach(r -> kinds.put(r.id(), r.kind().name()));
                            return new Explanation(leadId, modelId, model.name, score.score, score.grade,
                                    score.salesReady, hits.stream().map(h -> new RuleHitView(h.hit().ruleId(),
                                            kinds.get(h.hit().ruleId()), h.hit().interactionId(), h.interactionType(),
                                            h.hit().points(), h.hit().occurredAt(), h.hit().expiresAt())).toList());
                        }))));
    }

    /** Every change of the lead's standing under any model, oldest first, a page at a time; 404 for an unknown lead. */
    public Uni<HistoryPage> history(UUID leadId, int limit, long cursor) {
        return Panache.withSession(() -> {
            return requireLead(leadId)
                    .chain(() -> trackedLeads.historyOf(leadId, cursor, limit + 1))
                    .map(rows -> {
                        List<HistoryView> items = rows.stream().limit(limit).map(h -> new HistoryView(h.id, h.modelId,
                                h.modelVersion, h.score, h.grade, h.salesReady, h.cause.name(), h.interactionId, h.at))
                                .toList();
                        String next = rows.size() > limit ? String.valueOf(items.get(items.size() - 1).id()) : null;
                        return new HistoryPage(items, next);
                    });
        });
    }

    private static Uni<Void> requireLead(UUID leadId) {
        return TrackedLead.<TrackedLead> findById(leadId)
                .onItem().ifNull().failWith(() -> new NotFound("Lead", leadId))
                .replaceWithVoid();
    }
}
