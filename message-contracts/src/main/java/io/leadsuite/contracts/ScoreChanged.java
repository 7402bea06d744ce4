package io.leadsuite.contracts;

import java.util.List;
import java.util.UUID;

/**
 * {@code score.changed} v1, on {@code score-updates}, subject = lead id. Carries the full snapshot of the lead's
 * scores under every model, so the newest message (highest sequence) is all a consumer needs: an older one arriving
 * late is simply ignored.
 *
 * @param salesReady true when any model's score is at or above its sales-ready threshold
 * @param interactionId the interaction that caused the change, if any
 */
public record ScoreChanged(UUID leadId, UUID contactId, List<ModelScore> scores, boolean salesReady,
        String interactionId) {

    /** The lead's score under one published scoring model. */
    public record ModelScore(UUID modelId, int modelVersion, String modelName, int score, String grade,
            int salesReadyThreshold, boolean salesReady) {
    }
}
