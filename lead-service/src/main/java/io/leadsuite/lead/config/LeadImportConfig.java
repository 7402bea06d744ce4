package io.leadsuite.lead.config;

import java.time.Duration;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** Lead imports ({@code leadsuite.leads.imports.*}, env {@code LEADSUITE_LEADS_IMPORTS_*}). */
@ConfigMapping(prefix = "leadsuite.leads.imports")
public interface LeadImportConfig {

    /** Rows per transaction: their contacts are matched or created, then their leads created or touched at once. */
    @WithDefault("100")
    int chunkSize();

    /** How many match-or-create calls to contact-service a chunk has in flight at once. */
    @WithDefault("8")
    int concurrency();

    /** How often the worker looks for work when nothing woke it. */
    @WithDefault("1s")
    Duration pollInterval();

    /** A job whose replica stopped renewing it for this long is reported FAILED (interrupted). */
    @WithDefault("60s")
    Duration lease();

    /** Failed lines listed per job (all are counted in {@code failed}). */
    @WithDefault("10000")
    int maxReportedErrors();

    /** Data rows one upload may hold. */
    @WithDefault("100000")
    int maxRows();

    /** The longest field a CSV line may have (characters); a longer one refuses its line, the job goes on. */
    @WithDefault("1000")
    int maxFieldLength();

    /** The longest CSV line (characters, quoted line breaks included); a longer one is refused, the job goes on. */
    @WithDefault("10000")
    int maxLineLength();
}
