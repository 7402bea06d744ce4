package io.leadsuite.kit.consumer;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Flow;
import java.util.function.Function;

import org.eclipse.microprofile.reactive.messaging.Message;
import org.jboss.logging.Logger;

import io.leadsuite.kit.metrics.PipelineMetrics;
import io.leadsuite.kit.tracing.MessageTraces;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Scope;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.quarkus.vertx.core.runtime.context.VertxContextSafetyToggle;
import io.smallrye.common.vertx.VertxContext;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.smallrye.reactive.messaging.amqp.IncomingAmqpMetadata;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;

/**
 * Applies the messages of one incoming channel in batches: what has arrived is applied in one transaction, then
 * acknowledged.
 * <p>
 * Why not an {@code @Incoming} method: one returning {@code Uni} is called for one message at a time, so every message
 * costs a transaction of its own (its BEGIN, inbox insert and COMMIT) and the consumer runs at the speed of one
 * round trip chain per message. Why not Mutiny's {@code group().intoLists().of(size, duration)}: it requests from the
 * connector without bound and fails when its downstream is busy, so a backlog would move from the broker into the heap.
 * Here the demand is explicit: at most {@code maxBatch} messages are requested and not yet acknowledged (the
 * connector's own prefetch below this, about 1,250 messages, is described at {@link ConsumerConfig#maxBatch()}).
 * While a batch is applied, the next one gathers; an idle consumer waits {@code maxWait} after a first message for
 * company.
 * <p>
 * Order: one batch at a time, its messages in arrival order, so the broker's order (per subject, with message
 * groups) is the order of application. A batch that fails is rolled back and applied again one message per
 * transaction: only the messages that fail on their own are rejected (and redelivered by the broker, dead-lettered
 * after its bounded attempts); the rest are acknowledged.
 * <p>
 * Traces: a message that carries a {@code traceparent} (see {@link MessageTraces}) is applied in a span of its trace,
 * {@code <channel> process}, from the start of its batch to its acknowledgement (or rejection); the events the batch
 * writes about the message's subject continue that trace. Messages without one cost no span.
 */
final class BatchConsumer implements Flow.Subscriber<Message<JsonObject>> {

    private static final Logger LOG = Logger.getLogger(BatchConsumer.class);

    private final String channel;
    private final Vertx vertx;
    private final Context root;
    private final int maxBatch;
    private final long maxWaitMillis;
    private final Function<List<JsonObject>, Uni<Void>> effect;
    private final PipelineMetrics.Consumer meters;
    private final Tracer tracer;

    private final List<Message<JsonObject>> pending = new ArrayList<>();
    private Flow.Subscription subscription;
    private boolean applying;
    private long timer = -1;
    private volatile boolean stopped;

    BatchConsumer(String channel, Vertx vertx, int maxBatch, Duration maxWait,
            Function<List<JsonObject>, Uni<Void>> effect, PipelineMetrics.Consumer meters, Tracer tracer) {
        this.channel = channel;
        this.vertx = vertx;
        this.root = vertx.getOrCreateContext();
        this.maxBatch = Math.max(1, maxBatch);
        this.maxWaitMillis = Math.max(1, maxWait.toMillis());
        this.effect = effect;
        this.meters = meters;
        this.tracer = tracer;
    }

    @Override
    public void onSubscribe(Flow.Subscription subscription) {
        synchronized (this) {
            this.subscription = subscription;
        }
        subscription.request(maxBatch);
    }

    @Override
    public void onNext(Message<JsonObject> message) {
        synchronized (this) {
            pending.add(message);
            if (applying) {
                return;
            }
            if (pending.size() >= maxBatch) {
                startBatch();
            } else if (timer < 0) {
                timer = vertx.setTimer(maxWaitMillis, id -> waited());
            }
        }
    }

    private synchronized void waited() {
        timer = -1;
        if (!applying && !pending.isEmpty()) {
            startBatch();
        }
    }

    /** Called holding the lock. */
    private void startBatch() {
        if (timer >= 0) {
            vertx.cancelTimer(timer);
            timer = -1;
        }
        if (stopped) {
            return;
        }
        applying = true;
        List<Message<JsonObject>> batch = List.copyOf(pending);
        pending.clear();
        // Hibernate Reactive needs a duplicated context of its own, marked safe, for the session of this batch.
        Context context = VertxContext.createNewDuplicatedContext(root);
        VertxContextSafetyToggle.setContextSafe(context, true);
        context.runOnContext(ignored -> {
            Map<Message<JsonObject>, Span> spans = startSpans(batch);
            // the spans are the batch's current trace context until it is done (the context is the batch's alone)
            Scope scope = spans.isEmpty() ? Scope.noop() : batchContext(spans).makeCurrent();
            apply(batch, spans).subscribe().with(done -> {
                scope.close();
                applied(batch.size());
            }, failure -> {
                scope.close();
                LOG.errorf(failure, "Consumer of %s failed on a batch of %d", channel, batch.size());
                applied(batch.size());
            });
        });
    }

    /** A span per message that carries a trace context, child of the relay's span that sent it. */
    private Map<Message<JsonObject>, Span> startSpans(List<Message<JsonObject>> batch) {
        Map<Message<JsonObject>, Span> spans = null;
        for (Message<JsonObject> message : batch) {
            // a message without application properties has none (null, not empty)
            String traceparent = message.getMetadata(IncomingAmqpMetadata.class).map(IncomingAmqpMetadata::getProperties)
                    .map(properties -> properties.getValue(MessageTraces.TRACEPARENT) instanceof String value ? value : null)
                    .orElse(null);
            if (traceparent == null) {
                continue;
            }
            if (spans == null) {
                spans = new LinkedHashMap<>();
            }
            JsonObject body = message.getPayload();
            spans.put(message, tracer.spanBuilder(channel + " process")
                    .setParent(MessageTraces.parent(traceparent))
                    .setSpanKind(SpanKind.CONSUMER)
                    .setAttribute("messaging.system", "amqp")
                    .setAttribute("messaging.operation.type", "process")
                    .setAttribute("messaging.destination.name", channel)
                    .setAttribute("messaging.message.id", body == null ? "" : String.valueOf(body.getValue("id")))
                    .setAttribute("messaging.batch.message_count", (long) batch.size())
                    .setAttribute("leadsuite.event.type", body == null ? "" : String.valueOf(body.getValue("type")))
                    .startSpan());
        }
        return spans == null ? Map.of() : spans;
    }

    /**
     * The trace context the batch runs in: its first traced message's span is the current one, and the events written
     * about a subject go on in the trace of the message about that subject.
     */
    private static io.opentelemetry.context.Context batchContext(Map<Message<JsonObject>, Span> spans) {
        Map<UUID, SpanContext> bySubject = new HashMap<>();
        Span first = null;
        for (Map.Entry<Message<JsonObject>, Span> entry : spans.entrySet()) {
            first = first == null ? entry.getValue() : first;
            UUID subject = subject(entry.getKey().getPayload());
            if (subject != null) {
                bySubject.putIfAbsent(subject, entry.getValue().getSpanContext());
            }
        }
        return MessageTraces.withMessageSpans(io.opentelemetry.context.Context.root().with(first), bySubject);
    }

    private static UUID subject(JsonObject body) {
        try {
            return body == null || body.getString("subject") == null ? null : UUID.fromString(body.getString("subject"));
        } catch (RuntimeException e) {
            return null;
        }
    }

    private void applied(int count) {
        Flow.Subscription toRequest;
        synchronized (this) {
            applying = false;
            toRequest = subscription;
            if (!pending.isEmpty()) {
                startBatch();
            }
        }
        if (!stopped) {
            toRequest.request(count);
        }
    }

    private Uni<Void> apply(List<Message<JsonObject>> batch, Map<Message<JsonObject>, Span> spans) {
        long started = System.nanoTime();
        List<JsonObject> bodies = batch.stream().map(Message::getPayload).toList();
        return Panache.withTransaction(() -> effect.apply(bodies))
                .invoke(() -> {
                    Instant now = Instant.now();
                    batch.forEach(message -> acknowledge(message, now, spans));
                    meters.batch(started, false);
                })
                .onFailure().recoverWithUni(failure -> {
                    if (batch.size() == 1) {
                        reject(batch.get(0), failure, spans);
                        return Uni.createFrom().voidItem();
                    }
                    LOG.warnf("A batch of %d on %s failed (%s); applying its messages one at a time", batch.size(),
                            channel, failure.toString());
                    return Multi.createFrom().iterable(batch)
                            .onItem().transformToUniAndConcatenate(message -> Panache
                                    .withTransaction(() -> effect.apply(List.of(message.getPayload())))
                                    .invoke(() -> acknowledge(message, Instant.now(), spans))
                                    .onFailure().recoverWithItem(alone -> {
                                        reject(message, alone, spans);
                                        return null;
                                    }))
                            .collect().last().replaceWithVoid()
                            .invoke(() -> meters.batch(started, true));
                });
    }

    private void acknowledge(Message<JsonObject> message, Instant now, Map<Message<JsonObject>, Span> spans) {
        message.ack();
        meters.applied(message.getPayload(), now);
        Span span = spans.get(message);
        if (span != null) {
            span.end();
        }
    }

    private void reject(Message<JsonObject> message, Throwable failure, Map<Message<JsonObject>, Span> spans) {
        meters.rejected();
        Span span = spans.get(message);
        if (span != null) {
            span.recordException(failure);
            span.setStatus(StatusCode.ERROR, "rejected; the broker redelivers it");
            span.end();
        }
        Object id = message.getPayload() == null ? null : message.getPayload().getValue("id");
        LOG.warnf("Cannot apply message %s on %s; the broker will redeliver it: %s", id, channel, failure.toString());
        message.nack(failure);
    }

    @Override
    public void onError(Throwable failure) {
        LOG.errorf(failure, "The stream of %s ended with a failure; this consumer stops", channel);
    }

    @Override
    public void onComplete() {
        LOG.infof("The stream of %s completed", channel);
    }

    void stop() {
        stopped = true;
        Flow.Subscription current;
        synchronized (this) {
            current = subscription;
        }
        if (current != null) {
            current.cancel();
        }
    }
}
