package io.leadsuite.kit.outbox;

import java.time.Duration;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** Settings of the outbox relay ({@code leadsuite.outbox.*}). */
@ConfigMapping(prefix = "leadsuite.outbox")
public interface OutboxConfig {

    /** Whether this replica relays outbox messages to the broker. */
    @WithDefault("true")
    boolean enabled();

    /** How many messages one relay transaction takes, locked with SKIP LOCKED so replicas share the work. */
    @WithDefault("200")
    int batchSize();

    /**
     * How often the relay looks at the outbox even without a commit notification (after a lost notification
     * connection, or a failed send).
     */
    @WithDefault("2s")
    Duration pollInterval();

    /**
     * How often each replica counts the messages waiting in the outbox and the age of the oldest, for the gauges
     * {@code leadsuite_outbox_waiting} and {@code leadsuite_outbox_oldest_age_seconds}.
     */
    @WithDefault("15s")
    Duration backlogInterval();
}
