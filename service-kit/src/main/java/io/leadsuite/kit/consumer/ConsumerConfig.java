package io.leadsuite.kit.consumer;

import java.time.Duration;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** How the consumers of incoming channels batch their messages ({@code leadsuite.consumers.*}). */
@ConfigMapping(prefix = "leadsuite.consumers")
public interface ConsumerConfig {

    /**
     * The most messages one transaction applies, and the most a consumer holds unacknowledged: what is not requested
     * yet stays on the broker, so a backlog costs the broker disk, not the service's heap.
     */
    @WithDefault("200")
    int maxBatch();

    /**
     * How long an idle consumer waits after a first message for more to join its batch. A consumer that is busy
     * takes what arrived meanwhile as soon as its batch commits, without waiting.
     */
    @WithDefault("3ms")
    Duration maxWait();
}
