package io.leadsuite.scoring.service;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Stream;

import jakarta.inject.Inject;

import org.hibernate.reactive.mutiny.Mutiny;
import org.hibernate.stat.Statistics;
import org.junit.jupiter.api.Test;

import io.leadsuite.contracts.Envelope;
import io.leadsuite.kit.inbox.Inbox;
import io.leadsuite.scoring.domain.TrackedLead;
import io.leadsuite.scoring.repository.ContactRefRepository;
import io.leadsuite.scoring.repository.TrackedLeadRepository;
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

    @Inject
    TrackedLeadRepository trackedLeads;

    @Inject
    ContactRefRepository contacts;

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

    /**
     * The selects of a batch over a list of leads or contacts (their open leads, their score rows, contacts by e-mail)
     * keep their translation. Hibernate counts a plan-cache hit when it finds a query's parsed HQL and another when it
     * finds its plan (with the SQL it was translated to); with the list bound as one parameter the plan is never
     * cached and the query is translated at every execution, so each execution makes one hit, not two.
     */
    @Test
    void aBatchsSelectsOverItsLeadsAndContactsAreTranslatedOnceForEveryListSize() throws Throwable {
        Statistics statistics = sessions.getStatistics();
        for (int size = 1; size <= BATCHES; size++) { // warm: every padded size once
            selectsOver(size);
        }
        long hitsBefore = statistics.getQueryPlanCacheHitCount();
        long missesBefore = statistics.getQueryPlanCacheMissCount();
        for (int size = 1; size <= BATCHES; size++) {
            selectsOver(size);
        }
        long hits = statistics.getQueryPlanCacheHitCount() - hitsBefore;
        long misses = statistics.getQueryPlanCacheMissCount() - missesBefore;
        int selects = 4 * BATCHES;
        // about 2 x selects when each finds both, selects when none finds its plan (seen: 316 and 160); the counters
        // are the whole application's, so a background pass may take or add a few
        assertTrue(hits >= 3 * selects / 2, selects + " selects over lists of 1 to " + BATCHES + " values: " + hits
                + " plan-cache hits (" + 2 * selects + " when each finds its parsed HQL and its plan), " + misses
                + " misses");
        assertTrue(misses < BATCHES, "plan cache misses: " + misses);
    }

    private void selectsOver(int size) throws Throwable {
        List<UUID> ids = Stream.generate(UUID::randomUUID).limit(size).toList();
        List<TrackedLead> leads = ids.stream().map(id -> {
            TrackedLead lead = new TrackedLead();
            lead.leadId = id;
            lead.contactId = id;
            return lead;
        }).toList();
        List<String> emails = ids.stream().map(id -> id + "@example.com").toList();
        VertxContextSupport.subscribeAndAwait(() -> Panache.withSession(() -> trackedLeads.openAmong(ids)
                .chain(() -> trackedLeads.openLeadsOfContacts(ids))
                .chain(() -> trackedLeads.load(new TrackedLeadRepository.Locked(leads, Map.of())))
                .chain(() -> contacts.withEmails(emails))));
    }

    private void batch() throws Throwable {
        UUID lead = UUID.randomUUID();
        Envelope<String> message = Envelope.of("plan-cache.probe", "test", Instant.now(), lead, 1, "probe");
        VertxContextSupport.subscribeAndAwait(() -> Panache.withTransaction(
                () -> locks.acquire(List.of(ScoringLocks.lead(lead), ScoringLocks.contact(UUID.randomUUID())))
                        .chain(() -> inbox.claim(List.of(message, message)))));
    }
}
