package io.leadsuite.lead.config;

import java.time.Duration;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** Nurture triggers ({@code leadsuite.nurture.*}, env {@code LEADSUITE_NURTURE_*}). */
@ConfigMapping(prefix = "leadsuite.nurture")
public interface NurtureConfig {

    /** Whether this replica scans for inactive leads (replicas may all scan: each occurrence is emitted once). */
    @WithDefault("true")
    boolean scanEnabled();

    /** How often leads without activity are looked for. */
    @WithDefault("5m")
    Duration scanInterval();

    /** How many inactive leads one scan emits at most (the next scan takes the rest). */
    @WithDefault("500")
    int batchSize();
}
