package io.leadsuite.kit.consumer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.opentelemetry.context.ContextKey;
import io.opentelemetry.context.Scope;
import io.smallrye.common.vertx.VertxContext;
import io.smallrye.mutiny.Uni;
import io.vertx.core.Context;
import io.vertx.core.Vertx;

class GroupCommitTest {

    private Vertx vertx;
    /** Each transaction's submissions, in the order the transactions ran. */
    private final List<List<Integer>> transactions = Collections.synchronizedList(new ArrayList<>());
    private final AtomicInteger rolledBack = new AtomicInteger();
    /** The first transaction waits for this before it finishes: submissions made meanwhile must gather. */
    private final CompletableFuture<Void> firstMayFinish = new CompletableFuture<>();

    @BeforeEach
    void start() {
        vertx = Vertx.vertx();
    }

    @AfterEach
    void stop() throws Exception {
        vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    private final GroupCommit.Transaction transaction = new GroupCommit.Transaction() {
        @Override
        public <T> Uni<T> run(Supplier<Uni<T>> work) {
            return work.get().onFailure().invoke(f -> rolledBack.incrementAndGet());
        }
    };

    /** Outcome of a submission n: "n applied"; 13 cannot be applied. */
    private Uni<List<String>> effect(List<Integer> submissions) {
        boolean first = transactions.isEmpty();
        transactions.add(List.copyOf(submissions));
        Uni<Void> finish = first ? Uni.createFrom().completionStage(firstMayFinish) : Uni.createFrom().voidItem();
        return finish.map(v -> {
            if (submissions.contains(13)) {
                throw new IllegalStateException("13 cannot be applied");
            }
            return submissions.stream().map(n -> n + " applied").toList();
        });
    }

    private GroupCommit<Integer, String> groupCommit(int maxWeight) {
        return new GroupCommit<>("test", vertx, maxWeight, n -> n >= 100 ? n / 100 : 1, n -> List.of(), this::effect,
                transaction);
    }

    /** Submits from a context of its own (as a request would); the outcome, or the failure, when it comes. */
    private CompletableFuture<Object> submitFrom(Context context, GroupCommit<Integer, String> commit, int n,
            Map<Integer, Context> completedOn) {
        CompletableFuture<Object> result = new CompletableFuture<>();
        context.runOnContext(v -> commit.submit(n).subscribe().with(outcome -> {
            completedOn.put(n, Vertx.currentContext());
            result.complete(outcome);
        }, result::complete));
        return result;
    }

    private void awaitTransactions(int count) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (transactions.size() < count && System.nanoTime() < deadline) {
            Thread.sleep(5);
        }
        assertEquals(count, transactions.size(), "transactions started: " + transactions);
    }

    private static void awaitWaiting(GroupCommit<?, ?> commit, int count) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (commit.waiting() < count && System.nanoTime() < deadline) {
            Thread.sleep(5);
        }
        assertEquals(count, commit.waiting(), "submissions waiting");
    }

    @Test
    void submissionsThatArriveWhileABatchIsAppliedGoTogetherInTheNextEachWithItsOwnOutcomeOnItsOwnContext()
            throws Exception {
        GroupCommit<Integer, String> commit = groupCommit(100);
        Map<Integer, Context> completedOn = new ConcurrentHashMap<>();
        List<Context> contexts = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            contexts.add(vertx.getOrCreateContext());
        }
        CompletableFuture<Object> one = submitFrom(contexts.get(0), commit, 1, completedOn);
        awaitTransactions(1);
        List<CompletableFuture<Object>> later = new ArrayList<>();
        for (int n = 2; n <= 4; n++) {
            later.add(submitFrom(contexts.get(n - 1), commit, n, completedOn));
        }
        awaitWaiting(commit, 3);
        assertEquals(1, transactions.size(), "nothing else starts while a batch is applied");
        firstMayFinish.complete(null);

        assertEquals("1 applied", one.get(10, TimeUnit.SECONDS));
        for (int n = 2; n <= 4; n++) {
            assertEquals(n + " applied", later.get(n - 2).get(10, TimeUnit.SECONDS));
        }
        // three callers on three event loops: any arrival order, one transaction
        assertEquals(2, transactions.size(), transactions::toString);
        assertEquals(List.of(2, 3, 4), transactions.get(1).stream().sorted().toList());
        for (int n = 1; n <= 4; n++) {
            assertSame(contexts.get(n - 1), completedOn.get(n), "submission " + n + " completes on its caller's context");
        }
    }

    @Test
    void aFailingSubmissionFailsAloneTheOthersOfItsBatchAreAppliedOneByOne() throws Exception {
        GroupCommit<Integer, String> commit = groupCommit(100);
        Map<Integer, Context> completedOn = new ConcurrentHashMap<>();
        Context context = vertx.getOrCreateContext();
        CompletableFuture<Object> first = submitFrom(context, commit, 1, completedOn);
        awaitTransactions(1);
        CompletableFuture<Object> two = submitFrom(context, commit, 2, completedOn);
        CompletableFuture<Object> bad = submitFrom(context, commit, 13, completedOn);
        CompletableFuture<Object> four = submitFrom(context, commit, 4, completedOn);
        awaitWaiting(commit, 3);
        firstMayFinish.complete(null);

        assertEquals("1 applied", first.get(10, TimeUnit.SECONDS));
        assertEquals("2 applied", two.get(10, TimeUnit.SECONDS));
        assertInstanceOf(IllegalStateException.class, bad.get(10, TimeUnit.SECONDS));
        assertEquals("4 applied", four.get(10, TimeUnit.SECONDS));
        // the batch of three is rolled back, then each is applied in a transaction of its own, in order
        assertEquals(List.of(List.of(1), List.of(2, 13, 4), List.of(2), List.of(13), List.of(4)), transactions);
        assertEquals(2, rolledBack.get());
    }

    @Test
    void aBatchCarriesAtMostItsWeightButAlwaysOneSubmission() throws Exception {
        GroupCommit<Integer, String> commit = groupCommit(3);
        Map<Integer, Context> completedOn = new ConcurrentHashMap<>();
        Context context = vertx.getOrCreateContext();
        List<CompletableFuture<Object>> results = new ArrayList<>();
        results.add(submitFrom(context, commit, 1, completedOn));
        awaitTransactions(1);
        // weights: 1, 1, 500 -> 5 (more than a batch may carry, so alone), 1, 1, 1, 1
        for (int n : List.of(2, 3, 500, 6, 7, 8, 9)) {
            results.add(submitFrom(context, commit, n, completedOn));
        }
        awaitWaiting(commit, 7);
        firstMayFinish.complete(null);
        for (CompletableFuture<Object> result : results) {
            assertTrue(String.valueOf(result.get(10, TimeUnit.SECONDS)).endsWith(" applied"));
        }
        assertEquals(List.of(List.of(1), List.of(2, 3), List.of(500), List.of(6, 7, 8), List.of(9)), transactions);
    }

    @Test
    void aSubmissionAtRestStartsATransactionAtOnce() throws Exception {
        firstMayFinish.complete(null);
        GroupCommit<Integer, String> commit = groupCommit(100);
        Context context = vertx.getOrCreateContext();
        assertEquals("5 applied", submitFrom(context, commit, 5, new ConcurrentHashMap<>()).get(10, TimeUnit.SECONDS));
        assertEquals("6 applied", submitFrom(context, commit, 6, new ConcurrentHashMap<>()).get(10, TimeUnit.SECONDS));
        assertEquals(List.of(List.of(5), List.of(6)), transactions);
    }

    @Test
    void whileTenBatchesWorthWaitANewSubmissionIsRefusedAtOnceToBeRetried() throws Exception {
        GroupCommit<Integer, String> commit = groupCommit(2);
        Map<Integer, Context> completedOn = new ConcurrentHashMap<>();
        Context context = vertx.getOrCreateContext();
        CompletableFuture<Object> first = submitFrom(context, commit, 1, completedOn);
        awaitTransactions(1);
        List<CompletableFuture<Object>> waiting = new ArrayList<>();
        for (int n = 30; n < 50; n++) {
            waiting.add(submitFrom(context, commit, n, completedOn));
        }
        awaitWaiting(commit, 20);
        Object refused = submitFrom(context, commit, 50, completedOn).get(10, TimeUnit.SECONDS);
        assertInstanceOf(io.leadsuite.kit.domain.RetryLater.class, refused);
        assertEquals(20, commit.waiting(), "the refused one does not wait");
        firstMayFinish.complete(null);
        assertEquals("1 applied", first.get(10, TimeUnit.SECONDS));
        for (int i = 0; i < waiting.size(); i++) {
            assertEquals((30 + i) + " applied", waiting.get(i).get(10, TimeUnit.SECONDS));
        }
        assertEquals(11, transactions.size(), "the twenty waiting ones in batches of two");
    }

    @Test
    void oneAfterAnotherAppliesABatchInOneTransactionEachSubmissionInItsCallersTrace() throws Exception {
        ContextKey<Integer> caller = ContextKey.named("caller");
        AtomicInteger transactionsRun = new AtomicInteger();
        GroupCommit.Transaction counting = new GroupCommit.Transaction() {
            @Override
            public <T> Uni<T> run(Supplier<Uni<T>> work) {
                transactionsRun.incrementAndGet();
                return work.get();
            }
        };
        List<String> applied = Collections.synchronizedList(new ArrayList<>());
        GroupCommit<Integer, String> commit = GroupCommit.oneAfterAnother("test", vertx, 10, 1, n -> {
            applied.add(n + " in the trace of " + io.opentelemetry.context.Context.current().get(caller));
            if (n != 1) {
                return Uni.createFrom().item(n + " applied");
            }
            // the first one finishes when the test lets it, on its own context
            return Uni.createFrom().emitter(done -> vertx.setPeriodic(5, timer -> {
                if (firstMayFinish.isDone()) {
                    vertx.cancelTimer(timer);
                    done.complete("1 applied");
                }
            }));
        }, counting);
        List<CompletableFuture<Object>> results = new ArrayList<>();
        for (int n = 1; n <= 4; n++) {
            int submission = n;
            // a request's context: where Quarkus keeps the request's trace
            Context context = VertxContext.createNewDuplicatedContext(vertx.getOrCreateContext());
            CompletableFuture<Object> result = new CompletableFuture<>();
            results.add(result);
            context.runOnContext(v -> {
                try (Scope scope = io.opentelemetry.context.Context.root().with(caller, submission).makeCurrent()) {
                    commit.submit(submission).subscribe().with(result::complete, result::complete);
                }
            });
            if (n == 1) {
                long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
                while (applied.isEmpty() && System.nanoTime() < deadline) {
                    Thread.sleep(5);
                }
            }
        }
        awaitWaiting(commit, 3);
        firstMayFinish.complete(null);
        for (int n = 1; n <= 4; n++) {
            assertEquals(n + " applied", results.get(n - 1).get(10, TimeUnit.SECONDS));
        }
        assertEquals(2, transactionsRun.get(), "the three that waited share one transaction");
        assertEquals(List.of("1 in the trace of 1", "2 in the trace of 2", "3 in the trace of 3",
                "4 in the trace of 4"), applied);
    }

    @Test
    void withTwoLanesTwoBatchesAreAppliedAtOnceAndWhatArrivesMeanwhileWaitsForALane() throws Exception {
        List<Integer> started = Collections.synchronizedList(new ArrayList<>());
        GroupCommit<Integer, String> commit = GroupCommit.oneAfterAnother("test", vertx, 10, 2, n -> {
            started.add(n);
            return Uni.createFrom().emitter(done -> vertx.setPeriodic(5, timer -> {
                if (firstMayFinish.isDone()) {
                    vertx.cancelTimer(timer);
                    done.complete(n + " applied");
                }
            }));
        }, transaction);
        Map<Integer, Context> completedOn = new ConcurrentHashMap<>();
        Context context = vertx.getOrCreateContext();
        List<CompletableFuture<Object>> results = new ArrayList<>();
        for (int n = 1; n <= 5; n++) {
            results.add(submitFrom(context, commit, n, completedOn));
        }
        awaitWaiting(commit, 3);
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (started.size() < 2 && System.nanoTime() < deadline) {
            Thread.sleep(5);
        }
        Thread.sleep(50);
        assertEquals(List.of(1, 2), started.stream().sorted().toList(),
                "two lanes: the first two started at once, each alone, and nothing else");
        firstMayFinish.complete(null);
        for (int n = 1; n <= 5; n++) {
            assertEquals(n + " applied", results.get(n - 1).get(10, TimeUnit.SECONDS));
        }
        assertEquals(List.of(1, 2, 3, 4, 5), started.stream().sorted().toList());
    }
}
