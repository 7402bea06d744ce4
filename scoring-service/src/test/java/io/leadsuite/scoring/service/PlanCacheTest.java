package io.leadsuite.scoring.service;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

import jakarta.inject.Inject;

import org.hibernate.reactive.mutiny.Mutiny;
import org.hibernate.stat.Statistics;
import org.junit.jupiter.api.Test;

import io.leadsuite.contracts.Envelope;
import io.leadsuite.kit.inbox.Inbox;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.vertx.VertxContextSupport;

/**
 * The selects every batch runs (its inbox claim, its advisory locks) add nothing to Hibernate's query plan cache once
 * warm: run as native queries, each execution would miss and store another copy of its plan (see kit's
 * {@code SessionSql}), evicting the HQL plans the services reuse.
 */
@QuarkusTest
class PlanCacheTest {

    private static final int BATCHES = 40;

    @Inject
    Mutiny.SessionFactory sessions;

    @Inject
    ScoringLocks locks;

    @Inject
    Inbox inbox;

    @Test
    void aBatchsLocksAndInboxClaimMissThePlanCacheNoMore() throws Throwable {
        Statistics statistics = sessions.getStatistics();
        batch(); // warm
        long missesBefore = statistics.getQueryPlanCacheMissCount();
        for (int i = 0; i < BATCHES; i++) {
            batch();
        }
        // The counter is the whole application's: a re-scoring job left by an earlier test, or a scheduled scan, may
        // build a plan or two meanwhile (seen: 2 in 20 batches on a busy box). Each native select run through
        // Hibernate misses every time, so a batch that did would add at least two misses (its lock and its claim):
        // 2 x BATCHES at least, far above what runs beside it.
        long misses = statistics.getQueryPlanCacheMissCount() - missesBefore;
        assertTrue(misses < BATCHES, "plan cache misses in " + BATCHES + " batches of a lock and an inbox claim: "
                + misses + " (a select that misses every time would make at least " + 2 * BATCHES + ")");
    }

    private void batch() throws Throwable {
        UUID lead = UUID.randomUUID();
        Envelope<String> message = Envelope.of("plan-cache.probe", "test", Instant.now(), lead, 1, "probe");
        VertxContextSupport.subscribeAndAwait(() -> Panache.withTransaction(
                () -> locks.acquire(List.of(ScoringLocks.lead(lead), ScoringLocks.contact(UUID.randomUUID())))
                        .chain(() -> inbox.claim(List.of(message, message)))));
    }
}
