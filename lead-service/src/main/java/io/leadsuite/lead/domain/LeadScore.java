package io.leadsuite.lead.domain;

import java.util.UUID;

/** The lead's score under one scoring model, as last reported by scoring-service. */
public record LeadScore(UUID modelId, String modelName, int score, String grade, int salesReadyThreshold,
        boolean salesReady) {
}
