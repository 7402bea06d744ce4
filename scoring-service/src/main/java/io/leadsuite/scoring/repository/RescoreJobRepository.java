package io.leadsuite.scoring.repository;

import java.time.Instant;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import io.leadsuite.scoring.domain.RescoreJob;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;

/** The queries of re-scoring jobs ({@code rescore_job}). */
@ApplicationScoped
public class RescoreJobRepository {

    /**
     * Locks the oldest job to work on, skipping jobs other replicas hold: a QUEUED one queued before
     * {@code queuedBefore}, or a RUNNING one without heartbeat since {@code staleBefore} (its replica stopped). Yields
     * its id, or null.
     */
    public Uni<UUID> lockNextToRun(Instant queuedBefore, Instant staleBefore) {
        return Panache.getSession()
                .chain(session -> session.createNativeQuery("select cast(id as text) from rescore_job where "
                        + "(state = '" + RescoreJob.State.QUEUED + "' and created_at <= ?2) or (state = '"
                        + RescoreJob.State.RUNNING + "' and heartbeat_at < ?1) order by created_at limit 1 "
                        + "for update skip locked", String.class)
                        .setParameter(1, staleBefore).setParameter(2, queuedBefore).getResultList())
                .map(ids -> ids.isEmpty() ? null : UUID.fromString(ids.get(0)));
    }
}
