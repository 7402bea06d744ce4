package io.leadsuite.contracts;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * {@code score.changed} v1, on {@code score-updates}, subject = lead id. Carries the full snapshot of the lead's
 * scores under every model, so the newest message (highest sequence) is all a consumer needs: an older one arriving
 * late is simply ignored. It also carries the campaigns that the interactions applied in this change named: those
 * are additions, not a snapshot, and count whatever the sequence (each once per interaction).
 *
 * @param salesReady true when any model's score is at or above its sales-ready threshold
 * @param interactionId the interaction that caused the change, if any
 * @param campaignTouches the campaign each interaction applied to the lead in this change named (its
 *        {@code campaign} attribute), in the order applied; empty when none named one (absent in older messages)
 */
public record ScoreChanged(UUID leadId, UUID contactId, List<ModelScore> scores, boolean salesReady,
        String interactionId, List<CampaignTouch> campaignTouches) {

    public ScoreChanged {
        campaignTouches = campaignTouches == null ? List.of() : List.copyOf(campaignTouches);
    }

    /** A change that no interaction naming a campaign took part in. */
    public ScoreChanged(UUID leadId, UUID contactId, List<ModelScore> scores, boolean salesReady,
            String interactionId) {
        this(leadId, contactId, scores, salesReady, interactionId, List.of());
    }

    /** The lead's score under one published scoring model. */
    public record ModelScore(UUID modelId, int modelVersion, String modelName, int score, String grade,
            int salesReadyThreshold, boolean salesReady) {
    }

    /**
     * An interaction applied to the lead named a campaign.
     *
     * @param campaign the campaign's id or name, as the interaction gave it
     */
    public record CampaignTouch(String interactionId, String campaign, Instant occurredAt) {
    }
}
