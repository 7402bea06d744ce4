package io.leadsuite.scoring.service;

import java.time.Instant;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.jboss.logging.Logger;

import io.leadsuite.scoring.config.ScoringClock;
import io.leadsuite.scoring.config.ScoringConfig;
import io.leadsuite.scoring.domain.ScoreCause;
import io.leadsuite.scoring.repository.TrackedLeadRepository;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.quarkus.scheduler.Scheduled;
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

    private static final Logger LOG = Logger.getLogger(DecayScheduler.class);
    private static final int MAX_BATCHES_PER_RUN = 50;

    @Inject
    ScoringClock clock;
    @Inject
    ScoringConfig config;
    @Inject
    TrackedLeadRepository trackedLeads;
    @Inject
    LeadScorer scorer;

    @Scheduled(every = "${leadsuite.scoring.decay.interval:30s}", delayed = "2s", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    Uni<Void> tick() {
        return decayAll().replaceWithVoid()
                .onFailure().invoke(e -> LOG.warnf(e, "Decay run failed; the next run retries"))
                .onFailure().recoverWithNull().replaceWithVoid();
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
