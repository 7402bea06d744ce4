package io.leadsuite.lead.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** Captures ({@code leadsuite.leads.captures.*}, env {@code LEADSUITE_LEADS_CAPTURES_*}). */
@ConfigMapping(prefix = "leadsuite.leads.captures")
public interface CaptureConfig {

    /**
     * The most captures one transaction records together: captures arriving while one batch is recorded wait and go
     * together in the next, up to this many (see the kit's {@code GroupCommit}).
     */
    @WithDefault("64")
    int maxBatch();

    /**
     * How many batches are recorded at once, each on its own pooled connection: a batch's statements run one after
     * another, so a single lane would cap captures at one connection's pace.
     */
    @WithDefault("4")
    int lanes();
}
