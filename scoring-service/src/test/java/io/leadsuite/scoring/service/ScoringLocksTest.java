package io.leadsuite.scoring.service;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.UUID;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import io.quarkus.hibernate.reactive.panache.Panache;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.vertx.VertxContextSupport;

/** A transaction takes each advisory lock once: the statements a batch's effects would repeat are not sent. */
@QuarkusTest
class ScoringLocksTest {

    @Inject
    ScoringLocks locks;

    @Test
    void aTransactionTakesOnlyTheKeysItDoesNotHold() throws Throwable {
        UUID lead = UUID.randomUUID();
        UUID contact = UUID.randomUUID();
        List<Integer> taken = VertxContextSupport.subscribeAndAwait(() -> Panache.withTransaction(
                () -> locks.acquire(List.of(ScoringLocks.lead(lead), ScoringLocks.contact(contact)))
                        .chain(first -> locks.acquire(List.of(ScoringLocks.contact(contact),
                                ScoringLocks.email("someone@example.org")))
                                .chain(second -> locks.acquire(List.of(ScoringLocks.lead(lead)))
                                        .map(third -> List.of(first, second, third))))));
        assertEquals(List.of(2, 1, 0), taken);

        // the next transaction holds nothing: it takes its keys again
        int again = VertxContextSupport.subscribeAndAwait(() -> Panache.withTransaction(
                () -> locks.acquire(List.of(ScoringLocks.lead(lead), ScoringLocks.contact(contact)))));
        assertEquals(2, again);
    }
}
