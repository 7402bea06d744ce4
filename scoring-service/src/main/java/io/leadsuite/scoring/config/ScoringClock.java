package io.leadsuite.scoring.config;

import java.time.Instant;

import jakarta.enterprise.context.ApplicationScoped;

/**
 * The time scoring runs on: windows and decay are measured against it. Tests replace it (QuarkusMock) to move time
 * without waiting.
 */
@ApplicationScoped
public class ScoringClock {

    public Instant now() {
        return Instant.now();
    }
}
