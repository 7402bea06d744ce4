package io.leadsuite.lead.repository;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;

/**
 * Lead import jobs ({@code lead_import_job}) with their reported failed lines ({@code lead_import_error}). A job is
 * QUEUED, RUNNING while a replica works on it under a lease, then DONE, FAILED or CANCELLED. In the caller's
 * transaction.
 */
@ApplicationScoped
public class LeadImportJobRepository {

    /** A job's progress as {@code GET /leads/imports/{id}} shows it. */
    public record Job(UUID id, String state, int total, int processed, int created, int updated, int unchanged,
            int failed, int leadsCreated, int leadsTouched, String failure, Instant createdAt, Instant startedAt,
            Instant finishedAt, List<LineError> errors) {
    }

    public record LineError(int line, String message) {
    }

    /** A new QUEUED job of {@code total} rows, leased until {@code leaseUntil}. */
    public Uni<Void> create(UUID id, int total, String actor, Instant leaseUntil) {
        return Panache.getSession().chain(s -> s.createNativeQuery("insert into lead_import_job (id, state, total, "
                + "created_by, lease_until) values (?1, 'QUEUED', ?2, ?3, ?4)")
                .setParameter(1, id).setParameter(2, total).setParameter(3, actor).setParameter(4, leaseUntil)
                .executeUpdate())
                .replaceWithVoid();
    }

    /** The job, if queued or running but its lease ran out (its replica stopped), fails with {@code failure}. */
    public Uni<Void> failIfAbandoned(UUID id, String failure) {
        return Panache.getSession().chain(s -> s.createNativeQuery("update lead_import_job set state = 'FAILED', "
                + "failure = ?2, finished_at = now(), lease_until = null where id = ?1 and state in ('QUEUED', "
                + "'RUNNING') and lease_until < now()").setParameter(1, id).setParameter(2, failure).executeUpdate())
                .replaceWithVoid();
    }

    /** The job with its reported failed lines, in line order. */
    public Uni<Optional<Job>> find(UUID id) {
        return Panache.getSession().chain(s -> s.createNativeQuery("select state, total, processed, created, updated, "
                + "unchanged, failed, leads_created, leads_touched, failure, created_at, started_at, finished_at "
                + "from lead_import_job where id = ?1", Object[].class).setParameter(1, id).getResultList()
                .chain(jobs -> {
                    if (jobs.isEmpty()) {
                        return Uni.createFrom().item(Optional.<Job> empty());
                    }
                    Object[] j = jobs.get(0);
                    return s.createNativeQuery("select line, message from lead_import_error where job_id = ?1 "
                            + "order by line", Object[].class).setParameter(1, id).getResultList()
                            .map(errors -> Optional.of(new Job(id, (String) j[0], integer(j[1]), integer(j[2]),
                                    integer(j[3]), integer(j[4]), integer(j[5]), integer(j[6]), integer(j[7]),
                                    integer(j[8]), (String) j[9], RowValues.instant(j[10]), RowValues.instant(j[11]),
                                    RowValues.instant(j[12]), errors.stream()
                                            .map(e -> new LineError(integer(e[0]), (String) e[1])).toList())));
                }));
    }

    /** The job's state, its row locked until the transaction ends; empty when there is no such job. */
    public Uni<Optional<String>> lockState(UUID id) {
        return Panache.getSession().chain(s -> s.createNativeQuery(
                "select state from lead_import_job where id = ?1 for update", String.class).setParameter(1, id)
                .getResultList())
                .map(states -> states.stream().findFirst());
    }

    /** The job is cancelled (its end time kept if it had one). */
    public Uni<Void> cancel(UUID id) {
        return Panache.getSession().chain(s -> s.createNativeQuery("update lead_import_job set state = 'CANCELLED', "
                + "finished_at = coalesce(finished_at, now()), lease_until = null where id = ?1")
                .setParameter(1, id).executeUpdate())
                .replaceWithVoid();
    }

    /** The job, if still queued or running, ends: DONE without a failure, FAILED with one. */
    public Uni<Void> end(UUID id, String failure) {
        return Panache.getSession().chain(s -> (failure == null
                ? s.createNativeQuery("update lead_import_job set state = 'DONE', finished_at = now(), "
                        + "lease_until = null where id = ?1 and state in ('QUEUED', 'RUNNING')")
                        .setParameter(1, id)
                : s.createNativeQuery("update lead_import_job set state = 'FAILED', failure = ?2, finished_at = "
                        + "now(), lease_until = null where id = ?1 and state in ('QUEUED', 'RUNNING')")
                        .setParameter(1, id).setParameter(2, failure))
                .executeUpdate())
                .replaceWithVoid();
    }

    /** A failed line the job reports (once per line). */
    public Uni<Void> reportError(UUID id, int line, String message) {
        return Panache.getSession().chain(s -> s.createNativeQuery("insert into lead_import_error (job_id, line, "
                + "message) values (?1, ?2, ?3) on conflict do nothing")
                .setParameter(1, id).setParameter(2, line).setParameter(3, message).executeUpdate())
                .replaceWithVoid();
    }

    /**
     * A chunk's counts are added to the job's, which is RUNNING (since its first chunk) and leased until
     * {@code leaseUntil}.
     */
    public Uni<Void> progress(UUID id, int processed, int created, int unchanged, int failed, int leadsCreated,
            int leadsTouched, Instant leaseUntil) {
        return Panache.getSession().chain(s -> s.createNativeQuery("update lead_import_job set state = 'RUNNING', "
                + "started_at = coalesce(started_at, now()), processed = processed + ?2, created = created + ?3, "
                + "unchanged = unchanged + ?4, failed = failed + ?5, leads_created = leads_created + ?6, "
                + "leads_touched = leads_touched + ?7, lease_until = ?8 where id = ?1")
                .setParameter(1, id).setParameter(2, processed).setParameter(3, created).setParameter(4, unchanged)
                .setParameter(5, failed).setParameter(6, leadsCreated).setParameter(7, leadsTouched)
                .setParameter(8, leaseUntil).executeUpdate())
                .replaceWithVoid();
    }

    private static int integer(Object value) {
        return ((Number) value).intValue();
    }
}
