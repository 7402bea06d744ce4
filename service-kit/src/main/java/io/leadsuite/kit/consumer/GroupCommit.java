package io.leadsuite.kit.consumer;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Function;
import java.util.function.Supplier;
import java.util.function.ToIntFunction;

import org.jboss.logging.Logger;

import io.leadsuite.kit.domain.RetryLater;
import io.leadsuite.kit.tracing.MessageTraces;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.context.Scope;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.quarkus.vertx.core.runtime.context.VertxContextSafetyToggle;
import io.smallrye.common.vertx.VertxContext;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.subscription.UniEmitter;
import io.vertx.core.Context;
import io.vertx.core.Vertx;

/**
 * Applies submissions that arrive at the same time in one transaction (a group commit): the HTTP counterpart of
 * {@link BatchConsumer}. A submission arriving while a lane is free (no batch is being applied, with one lane) starts a
 * batch at once (no waiting at a low rate); those arriving while every lane is busy gather and are applied together as
 * soon as a lane is free, up to {@code maxWeight} (at least one submission a batch). Each caller gets its own outcome, in its
 * own Vert.x context, after the commit.
 * <p>
 * Why: concurrent requests that each open a transaction pay a BEGIN, their lock set, every look-up and every write
 * statement and a COMMIT each, and requests about the same subjects wait on each other's locks while holding a pooled
 * connection. Gathered, they share all of that; under load the batches grow by themselves, because whatever arrives
 * while one is applied joins the next.
 * <p>
 * Back-pressure: while submissions weighing ten batches' worth per lane wait (the database is slow or unreachable and a batch
 * hangs), a new one is refused at once with {@link RetryLater} (503 and Retry-After at the edge) instead of queueing
 * in the heap behind it.
 * <p>
 * Order: one batch at a time on this replica (one lane; {@link #oneAfterAnother} may have more), its submissions in
 * arrival order; the effect applies them as if one after another. A batch that fails is rolled back and its submissions applied
 * again one per transaction, so a submission
 * fails only on its own account.
 * <p>
 * Traces: the batch runs in the trace context of its first submission; the events the batch writes about a subject
 * that a submission names ({@code subjects}) continue that submission's trace (see {@link MessageTraces}).
 *
 * @param <S> a submission
 * @param <O> its outcome
 */
public final class GroupCommit<S, O> {

    private static final Logger LOG = Logger.getLogger(GroupCommit.class);

    /** How a batch is made a transaction: {@link Panache#withTransaction} in the services. */
    @FunctionalInterface
    public interface Transaction {
        <T> Uni<T> run(Supplier<Uni<T>> work);
    }

    private record Waiting<S, O>(S submission, Context context, io.opentelemetry.context.Context trace,
            UniEmitter<? super O> caller) {
    }

    private final String name;
    private final Vertx vertx;
    private final int maxWeight;
    private final int maxWaiting;
    private final int lanes;
    private final ToIntFunction<S> weight;
    private final Function<S, ? extends Iterable<UUID>> subjects;
    private final Function<List<Waiting<S, O>>, Uni<List<O>>> effect;
    private final Transaction transaction;

    private final ArrayDeque<Waiting<S, O>> waiting = new ArrayDeque<>();
    private int waitingWeight;
    /** Batches being applied (at most {@code lanes}). */
    private int applying;

    /**
     * @param name for the log
     * @param maxWeight how much one batch may carry (the weights of its submissions together), unless its first
     *        submission alone weighs more; ten times this may wait, more is refused
     * @param weight what a submission weighs (e.g. its number of items)
     * @param subjects the subjects a submission names, whose events continue its trace
     * @param effect applies submissions in order, inside the transaction it is called in, and yields their outcomes in
     *        the same order; it fails when any of them cannot be applied
     */
    public GroupCommit(String name, Vertx vertx, int maxWeight, ToIntFunction<S> weight,
            Function<S, ? extends Iterable<UUID>> subjects, Function<List<S>, Uni<List<O>>> effect) {
        this(name, vertx, maxWeight, weight, subjects, effect, Panache::withTransaction);
    }

    GroupCommit(String name, Vertx vertx, int maxWeight, ToIntFunction<S> weight,
            Function<S, ? extends Iterable<UUID>> subjects, Function<List<S>, Uni<List<O>>> effect,
            Transaction transaction) {
        this(name, vertx, maxWeight, weight, subjects, transaction, 1,
                batch -> effect.apply(batch.stream().map(Waiting::submission).toList()));
    }

    private GroupCommit(String name, Vertx vertx, int maxWeight, ToIntFunction<S> weight,
            Function<S, ? extends Iterable<UUID>> subjects, Transaction transaction, int lanes,
            Function<List<Waiting<S, O>>, Uni<List<O>>> effect) {
        this.name = name;
        this.vertx = vertx;
        this.maxWeight = Math.max(1, maxWeight);
        this.lanes = Math.max(1, lanes);
        this.maxWaiting = 10 * this.maxWeight * this.lanes;
        this.weight = weight;
        this.subjects = subjects;
        this.effect = effect;
        this.transaction = transaction;
    }

    /**
     * A group commit of submissions that are applied one after another, each as if alone, in the batch's transaction:
     * up to {@code maxBatch} of them share a BEGIN, a COMMIT and a pooled connection. For submissions whose subjects
     * are only known once applied (a capture creates its lead): each is applied in its own caller's trace, so the
     * events it writes continue that trace.
     * <p>
     * Statements of one batch run one after another on its connection, so up to {@code lanes} batches are applied at
     * once (each on its own connection; a submission at rest still starts at once while a lane is free). Submissions in
     * different lanes are applied concurrently, as separate transactions would be: for submissions that need no order
     * between them beyond what their own locks give.
     *
     * @param apply applies one submission inside the transaction it is called in
     */
    public static <S, O> GroupCommit<S, O> oneAfterAnother(String name, Vertx vertx, int maxBatch, int lanes,
            Function<S, Uni<O>> apply) {
        return oneAfterAnother(name, vertx, maxBatch, lanes, apply, Panache::withTransaction);
    }

    /** As {@link #oneAfterAnother(String, Vertx, int, int, Function)}, each batch in {@code transaction}. */
    public static <S, O> GroupCommit<S, O> oneAfterAnother(String name, Vertx vertx, int maxBatch, int lanes,
            Function<S, Uni<O>> apply, Transaction transaction) {
        return new GroupCommit<>(name, vertx, maxBatch, submission -> 1, submission -> List.of(), transaction, lanes,
                batch -> {
                    List<O> outcomes = new ArrayList<>(batch.size());
                    return Multi.createFrom().iterable(batch)
                            .onItem().transformToUniAndConcatenate(entry -> {
                                Scope scope = entry.trace().makeCurrent();
                                return apply.apply(entry.submission()).invoke(outcomes::add)
                                        .eventually(scope::close);
                            })
                            .collect().last()
                            .replaceWith(outcomes);
                });
    }

    /** Applies {@code submission} with whatever else arrives meanwhile; its outcome after the commit. */
    public Uni<O> submit(S submission) {
        return Uni.createFrom().emitter(caller -> {
            Waiting<S, O> entry = new Waiting<>(submission, Vertx.currentContext(),
                    io.opentelemetry.context.Context.current(), caller);
            int weighs = weight.applyAsInt(submission);
            int refusedBehind = -1;
            synchronized (this) {
                if (!waiting.isEmpty() && waitingWeight + weighs > maxWaiting) {
                    refusedBehind = waitingWeight;
                } else {
                    waiting.addLast(entry);
                    waitingWeight += weighs;
                    if (applying < lanes) {
                        startBatch();
                    }
                }
            }
            if (refusedBehind >= 0) {
                caller.fail(new RetryLater(name + " is busy: " + refusedBehind
                        + " items wait for the batch being applied to commit; try again shortly"));
            }
        });
    }

    /** Submissions waiting for the batch being applied to commit. */
    synchronized int waiting() {
        return waiting.size();
    }

    /** Called holding the lock. */
    private void startBatch() {
        applying++;
        List<Waiting<S, O>> batch = new ArrayList<>();
        int weighed = 0;
        while (!waiting.isEmpty()) {
            int next = weight.applyAsInt(waiting.peekFirst().submission());
            if (!batch.isEmpty() && weighed + next > maxWeight) {
                break;
            }
            batch.add(waiting.pollFirst());
            weighed += next;
            waitingWeight -= next;
        }
        Context first = batch.get(0).context();
        // Hibernate Reactive needs a duplicated context of its own, marked safe, for the session of this batch
        Context context = VertxContext.createNewDuplicatedContext(first != null ? first : vertx.getOrCreateContext());
        VertxContextSafetyToggle.setContextSafe(context, true);
        context.runOnContext(ignored -> {
            Scope scope = traceOf(batch).makeCurrent();
            apply(batch).subscribe().with(done -> {
                scope.close();
                applied();
            }, failure -> {
                scope.close();
                LOG.errorf(failure, "%s failed on a batch of %d", name, batch.size());
                batch.forEach(entry -> fail(entry, failure));
                applied();
            });
        });
    }

    private void applied() {
        synchronized (this) {
            applying--;
            if (!waiting.isEmpty() && applying < lanes) {
                startBatch();
            }
        }
    }

    private Uni<Void> apply(List<Waiting<S, O>> batch) {
        return transaction.run(() -> effect.apply(batch))
                .invoke(outcomes -> {
                    for (int i = 0; i < batch.size(); i++) {
                        complete(batch.get(i), outcomes.get(i));
                    }
                })
                .replaceWithVoid()
                .onFailure().recoverWithUni(failure -> {
                    if (batch.size() == 1) {
                        fail(batch.get(0), failure);
                        return Uni.createFrom().voidItem();
                    }
                    LOG.debugf("A batch of %d on %s failed (%s); applying its submissions one at a time", batch.size(),
                            name, failure.toString());
                    return Multi.createFrom().iterable(batch)
                            .onItem().transformToUniAndConcatenate(entry -> transaction
                                    .run(() -> effect.apply(List.of(entry)))
                                    .invoke(outcome -> complete(entry, outcome.get(0)))
                                    .onFailure().recoverWithItem(alone -> {
                                        fail(entry, alone);
                                        return null;
                                    }))
                            .collect().last().replaceWithVoid();
                });
    }

    /** The first submission's trace, with each named subject's events in the trace of the submission naming it. */
    private io.opentelemetry.context.Context traceOf(List<Waiting<S, O>> batch) {
        io.opentelemetry.context.Context first = batch.get(0).trace();
        if (!Span.fromContext(first).getSpanContext().isValid()) {
            return first;
        }
        Map<UUID, SpanContext> bySubject = new HashMap<>();
        for (Waiting<S, O> entry : batch) {
            SpanContext span = Span.fromContext(entry.trace()).getSpanContext();
            if (span.isValid()) {
                subjects.apply(entry.submission()).forEach(subject -> bySubject.putIfAbsent(subject, span));
            }
        }
        return MessageTraces.withMessageSpans(first, bySubject);
    }

    private static <S, O> void complete(Waiting<S, O> entry, O outcome) {
        onCallersContext(entry, () -> entry.caller().complete(outcome));
    }

    private static <S, O> void fail(Waiting<S, O> entry, Throwable failure) {
        onCallersContext(entry, () -> entry.caller().fail(failure));
    }

    private static void onCallersContext(Waiting<?, ?> entry, Runnable action) {
        Context context = entry.context();
        if (context == null || Vertx.currentContext() == context) {
            action.run();
        } else {
            context.runOnContext(v -> action.run());
        }
    }
}
