package io.leadsuite.kit.pool;

import java.time.Duration;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** Settings of the database pool watch ({@code leadsuite.pool-watch.*}). */
@ConfigMapping(prefix = "leadsuite.pool-watch")
public interface PoolWatchConfig {

    /** Whether the pool is watched at all. */
    @WithDefault("true")
    boolean enabled();

    /** How often a connection is asked for. */
    @WithDefault("5s")
    Duration interval();

    /** How long the pool may fail to hand out a connection before a warning with its state is logged. */
    @WithDefault("10s")
    Duration warnAfter();

    /**
     * How long the pool may fail to hand out a connection before liveness fails, so that an orchestrator restarts
     * the service instead of leaving it unready for good.
     */
    @WithDefault("60s")
    Duration livenessAfter();
}
