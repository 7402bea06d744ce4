package io.leadsuite.kit.consumer;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Flow;
import java.util.function.Function;

import org.eclipse.microprofile.reactive.messaging.Message;
import org.jboss.logging.Logger;

import io.leadsuite.kit.metrics.PipelineMetrics;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.quarkus.vertx.core.runtime.context.VertxContextSafetyToggle;
import io.smallrye.common.vertx.VertxContext;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
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
 * Here the demand is explicit: at most {@code maxBatch} messages are requested and not yet acknowledged. While a batch
 * is applied, the next one gathers; an idle consumer waits {@code maxWait} after a first message for company.
 * <p>
 * Order: one batch at a time, its messages in arrival order, so the broker's order (per subject, with message
 * groups) is the order of application. A batch that fails is rolled back and applied again one message per
 * transaction: only the messages that fail on their own are rejected (and redelivered by the broker, dead-lettered
 * after its bounded attempts); the rest are acknowledged.
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

    private final List<Message<JsonObject>> pending = new ArrayList<>();
    private Flow.Subscription subscription;
    private boolean applying;
    private long timer = -1;
    private volatile boolean stopped;

    BatchConsumer(String channel, Vertx vertx, int maxBatch, Duration maxWait,
            Function<List<JsonObject>, Uni<Void>> effect, PipelineMetrics.Consumer meters) {
        this.channel = channel;
        this.vertx = vertx;
        this.root = vertx.getOrCreateContext();
        this.maxBatch = Math.max(1, maxBatch);
        this.maxWaitMillis = Math.max(1, maxWait.toMillis());
        this.effect = effect;
        this.meters = meters;
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
        context.runOnContext(ignored -> apply(batch).subscribe().with(done -> applied(batch.size()),
                failure -> {
                    LOG.errorf(failure, "Consumer of %s failed on a batch of %d", channel, batch.size());
                    applied(batch.size());
                }));
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

    private Uni<Void> apply(List<Message<JsonObject>> batch) {
        long started = System.nanoTime();
        List<JsonObject> bodies = batch.stream().map(Message::getPayload).toList();
        return Panache.withTransaction(() -> effect.apply(bodies))
                .invoke(() -> {
                    Instant now = Instant.now();
                    batch.forEach(message -> acknowledge(message, now));
                    meters.batch(started, false);
                })
                .onFailure().recoverWithUni(failure -> {
                    if (batch.size() == 1) {
                        reject(batch.get(0), failure);
                        return Uni.createFrom().voidItem();
                    }
                    LOG.warnf("A batch of %d on %s failed (%s); applying its messages one at a time", batch.size(),
                            channel, failure.toString());
                    return Multi.createFrom().iterable(batch)
                            .onItem().transformToUniAndConcatenate(message -> Panache
                                    .withTransaction(() -> effect.apply(List.of(message.getPayload())))
                                    .invoke(() -> acknowledge(message, Instant.now()))
                                    .onFailure().recoverWithItem(alone -> {
                                        reject(message, alone);
                                        return null;
                                    }))
                            .collect().last().replaceWithVoid()
                            .invoke(() -> meters.batch(started, true));
                });
    }

    private void acknowledge(Message<JsonObject> message, Instant now) {
        message.ack();
        meters.applied(message.getPayload(), now);
    }

    private void reject(Message<JsonObject> message, Throwable failure) {
        meters.rejected();
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
