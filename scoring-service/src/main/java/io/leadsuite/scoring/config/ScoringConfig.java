package io.leadsuite.scoring.config;

import java.time.Duration;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** scoring-service's own settings ({@code leadsuite.scoring.*}, env {@code LEADSUITE_SCORING_*}). */
@ConfigMapping(prefix = "leadsuite.scoring")
public interface ScoringConfig {

    Decay decay();

    Rescore rescore();

    Retention retention();

    Intake intake();

    /**
     * Anonymous submissions of public web forms count for scoring once per lead within this window
     * ({@code leadsuite.scoring.form-capture-window}): the further ones in it are recorded in the lead's history by
     * lead-service but give no points, so that repeated posts of a form cannot make a lead sales-ready.
     */
    @WithDefault("PT24H")
    Duration formCaptureWindow();

    interface Intake {
        /**
         * The most interactions submitted over HTTP that one transaction applies together
         * ({@code leadsuite.scoring.intake.max-batch}): submissions arriving while one is applied wait and go together
         * in the next, up to this many interactions (a single larger submission goes alone).
         */
        @WithDefault("1000")
        int maxBatch();
    }

    interface Retention {
        /**
         * How long an interaction that names only an e-mail no contact has, and was never applied, waits for that
         * contact before the retention job deletes it ({@code leadsuite.scoring.retention.unmatched-interactions}).
         */
        @WithDefault("30d")
        Duration unmatchedInteractions();
    }

    interface Decay {
        /** How often decay looks for expired windowed points ({@code leadsuite.scoring.decay.interval}). */
        @WithDefault("30s")
        Duration interval();

        /** Leads lowered per transaction. */
        @WithDefault("200")
        int batchSize();
    }

    interface Rescore {
        /** How often idle replicas look for a re-scoring job to work on. */
        @WithDefault("2s")
        Duration pollInterval();

        /** Leads re-scored per transaction. */
        @WithDefault("100")
        int batchSize();

        /** A RUNNING job without progress for this long is taken over by another replica (its replica died). */
        @WithDefault("60s")
        Duration staleAfter();
    }
}
