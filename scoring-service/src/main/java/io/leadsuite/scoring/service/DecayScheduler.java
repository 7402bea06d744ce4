package io.leadsuite.scoring.service;

import java.time.Instant;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;

import io.leadsuite.kit.poller.Pollers;
import io.leadsuite.scoring.config.ScoringClock;
import io.leadsuite.scoring.config.ScoringConfig;
import io.leadsuite.scoring.domain.ScoreCause;
import io.leadsuite.scoring.repository.TrackedLeadRepository;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.quarkus.runtime.StartupEvent;
import io.smallrye.mutiny.Uni;

/**
 * Decay: windowed points expire on time. Every {@code leadsuite.scoring.decay.interval} this takes the open leads that
 * have expired hits, a batch at a time, each batch in one transaction: the leads' rows are locked with {@code FOR
 * UPDATE SKIP LOCKED}, so several replicas share the work and never lower one lead twice (and never wait for a lead
 * that live scoring holds: it expires that lead's points itself). Each lead's expired hits are dropped, its score
 * lowered, and, when its score, grade or sales-readiness changed, a {@code score.changed} published through the
 * outbox, so a lead can fall back below its threshold.
 */
@ApplicationScoped
public class DecayScheduler {

    private static final int MAX_BATCHES_PER_RUN = 50;

    @Inject
    ScoringClock clock;
    @Inject
    ScoringConfig config;
    @Inject
    TrackedLeadRepository trackedLeads;
    @Inject
    LeadScorer scorer;

    @Inject
    Pollers pollers;

    void start(@Observes StartupEvent event) {
        // a run lowers up to MAX_BATCHES_PER_RUN batches itself, then waits for the next interval
        pollers.start("Decay", config.decay().interval(), () -> decayAll().replaceWith(false));
    }

    /** Lowers every lead whose points have expired by now; yields how many leads' snapshots changed. */
    public Uni<Integer> decayAll() {
        return decayFrom(0, 0);
    }

    private Uni<Integer> decayFrom(int batches, int changed) {
        return decayBatch().chain(result -> {
            int total = changed + result.changed();
            if (result.leads() < config.decay().batchSize() || batches + 1 >= MAX_BATCHES_PER_RUN) {
                return Uni.createFrom().item(total);
            }
            return decayFrom(batches + 1, total);
        });
    }

    private Uni<LeadScorer.Refreshed> decayBatch() {
        Instant now = clock.now();
        return Panache.withTransaction(() -> trackedLeads.lockWithExpiredHits(now, config.decay().batchSize())
                .chain(leads -> {
                    if (leads.isEmpty()) {
                        return Uni.createFrom().item(new LeadScorer.Refreshed(0, 0));
                    }
                    return scorer.refresh(leads, ScoreCause.DECAY)
                            .map(r -> new LeadScorer.Refreshed(leads.size(), r.changed()));
                }));
    }
}
