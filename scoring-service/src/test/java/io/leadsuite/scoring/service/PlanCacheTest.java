package io.leadsuite.scoring.service;

import static org.junit.jupiter.api.Assertions.assertEquals;

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
        for (int i = 0; i < 20; i++) {
            batch();
        }
        assertEquals(0, statistics.getQueryPlanCacheMissCount() - missesBefore,
                "plan cache misses in 20 batches of a lock and an inbox claim");
    }

    private void batch() throws Throwable {
        UUID lead = UUID.randomUUID();
        Envelope<String> message = Envelope.of("plan-cache.probe", "test", Instant.now(), lead, 1, "probe");
        VertxContextSupport.subscribeAndAwait(() -> Panache.withTransaction(
                () -> locks.acquire(List.of(ScoringLocks.lead(lead), ScoringLocks.contact(UUID.randomUUID())))
                        .chain(() -> inbox.claim(List.of(message, message)))));
    }
}
