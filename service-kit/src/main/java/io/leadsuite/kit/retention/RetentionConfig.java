package io.leadsuite.kit.retention;

import java.time.Duration;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** Settings of the retention job ({@code leadsuite.retention.*}); the service's own rules have their own settings. */
@ConfigMapping(prefix = "leadsuite.retention")
public interface RetentionConfig {

    /** Whether this replica runs the retention job (several may: each batch skips rows another replica holds). */
    @WithDefault("true")
    boolean enabled();

    /** How often a pass runs; a pass goes on at once while a rule still deletes full batches. */
    @WithDefault("1h")
    Duration interval();

    /** Rows one statement deletes at most (one short transaction each). */
    @WithDefault("5000")
    int batchSize();

    /**
     * How long the id of an applied message is kept (the inbox's guard against a redelivery). A message redelivered
     * later than this would be applied again; consumers still drop what is older than the sequence they applied.
     */
    @WithDefault("14d")
    Duration processedMessages();

    /**
     * How long the answer to a request with an Idempotency-Key is kept. A repeat is answered from it for 24 hours;
     * anything shorter than that is raised to 24 hours.
     */
    @WithDefault("48h")
    Duration idempotentRequests();
}
