package io.leadsuite.kit.consumer;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Function;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import org.eclipse.microprofile.reactive.messaging.Message;

import io.leadsuite.kit.metrics.PipelineMetrics;
import io.opentelemetry.api.trace.Tracer;
import io.quarkus.runtime.ShutdownEvent;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;

/**
 * Starts the consumers of incoming channels: each applies what has arrived in one transaction per batch (see
 * {@link BatchConsumer}). A consumer class injects its channel as {@code @Channel("...") Multi<Message<JsonObject>>}
 * and hands it over at start-up:
 *
 * <pre>
 * void start(&#64;Observes StartupEvent event, BatchConsumers consumers) {
 *     consumers.start("lead-events", messages, handlers::applyAll);
 * }
 * </pre>
 */
@ApplicationScoped
public class BatchConsumers {

    private final Vertx vertx;
    private final ConsumerConfig config;
    private final PipelineMetrics metrics;
    private final Tracer tracer;
    private final List<BatchConsumer> started = new CopyOnWriteArrayList<>();

    public BatchConsumers(Vertx vertx, ConsumerConfig config, PipelineMetrics metrics, Tracer tracer) {
        this.vertx = vertx;
        this.config = config;
        this.metrics = metrics;
        this.tracer = tracer;
    }

    /**
     * @param effect applies a batch of message bodies, in order, inside the transaction it is called in; it fails
     *        when any of them cannot be applied (the batch is then retried one message at a time, so only the bad one
     *        is redelivered and in the end dead-lettered)
     */
    public void start(String channel, Multi<Message<JsonObject>> messages,
            Function<List<JsonObject>, Uni<Void>> effect) {
        BatchConsumer consumer = new BatchConsumer(channel, vertx, config.maxBatch(), config.maxWait(), effect,
                metrics.consumer(channel), tracer);
        started.add(consumer);
        messages.subscribe().withSubscriber(consumer);
    }

    void stop(@Observes ShutdownEvent event) {
        started.forEach(BatchConsumer::stop);
    }
}
