package io.leadsuite.lead.config;

import java.time.Duration;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** Stage SLAs ({@code leadsuite.sla.*}, env {@code LEADSUITE_SLA_*}). */
@ConfigMapping(prefix = "leadsuite.sla")
public interface SlaConfig {

    /** Whether this replica scans for overdue leads (replicas share the scan safely). */
    @WithDefault("true")
    boolean enabled();

    /** How often overdue leads are looked for; a breach is flagged at most this long after its deadline. */
    @WithDefault("1m")
    Duration scanInterval();

    /** How many overdue leads one scan flags at most (the next scan takes the rest). */
    @WithDefault("200")
    int batchSize();
}
