package io.leadsuite.kit.consumer;

import java.time.Duration;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** How the consumers of incoming channels batch their messages ({@code leadsuite.consumers.*}). */
@ConfigMapping(prefix = "leadsuite.consumers")
public interface ConsumerConfig {

    /**
     * The most messages one transaction applies, and the most this consumer has taken from its stream and not yet
     * acknowledged. Below it the connector prefetches on its own: the Vert.x AMQP client grants the broker 1,000
     * credits per link (not configurable through the SmallRye connector) and Mutiny's {@code emitOn} buffers up to 256
     * more, so up to about 1,250 messages of a backlog wait in the service's heap (seen in the freshness benchmark:
     * 1,392 received and not yet applied); the rest stays on the broker.
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
