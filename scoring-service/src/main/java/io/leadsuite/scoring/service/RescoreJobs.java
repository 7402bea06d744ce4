package io.leadsuite.scoring.service;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;

import org.jboss.logging.Logger;

import io.leadsuite.kit.domain.NotFound;
import io.leadsuite.kit.poller.Pollers;
import io.leadsuite.scoring.config.ScoringClock;
import io.leadsuite.scoring.config.ScoringConfig;
import io.leadsuite.scoring.domain.CompiledModel;
import io.leadsuite.scoring.domain.RescoreJob;
import io.leadsuite.scoring.domain.ScoreCause;
import io.leadsuite.scoring.domain.ScoringModel;
import io.leadsuite.scoring.repository.RescoreJobRepository;
import io.leadsuite.scoring.repository.TrackedLeadRepository;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.quarkus.runtime.StartupEvent;
import io.smallrye.mutiny.Uni;

/**
 * Re-scoring jobs: after a model is published (or a new version of it) every open lead it affects (its scope admits
 * the lead, or the lead has a score under it) is re-scored from its stored interactions; after it is retired its
 * scores are withdrawn. A job runs in the background, in small transactions of {@code leadsuite.scoring.rescore
 * .batch-size} leads walked in lead-id order, so live scoring never waits long for it; live scoring of a lead whose
 * score is from an older version re-scores that lead itself first, and the job then finds nothing to change there.
 * Only leads whose standing changed get a {@code score.changed}. Replicas claim jobs with {@code FOR UPDATE SKIP
 * LOCKED}; a job whose replica stopped (no heartbeat for {@code stale-after}) is resumed from its cursor by another. A
 * job starts {@link ModelCatalog#JOB_DELAY} after it was queued, once every replica's copy of the published models
 * has its change.
 */
@ApplicationScoped
public class RescoreJobs {

    private static final Logger LOG = Logger.getLogger(RescoreJobs.class);
    private static final UUID START = new UUID(0, 0);

    @Inject
    Pollers pollers;
    @Inject
    ScoringClock clock;
    @Inject
    ScoringConfig config;
    @Inject
    LeadScorer scorer;
    @Inject
    RescoreJobRepository jobs;
    @Inject
    TrackedLeadRepository trackedLeads;

    /** Queues a job for the model as it now is; needs the caller's transaction. */
    public Uni<RescoreJob> enqueue(ScoringModel model, RescoreJob.Kind kind) {
        RescoreJob job = new RescoreJob();
        job.id = UUID.randomUUID();
        job.modelId = model.id;
        job.modelVersion = model.version;
        job.kind = kind;
        job.state = RescoreJob.State.QUEUED;
        job.createdAt = clock.now();
        return job.persist().replaceWith(job);
    }

    public Uni<RescoreJob> get(UUID id) {
        return Panache.withSession(() -> RescoreJob.<RescoreJob> findById(id)
                .onItem().ifNull().failWith(() -> new NotFound("Re-scoring job", id)));
    }

    void start(@Observes StartupEvent event) {
        // after a job, straight on to the next one; a failed job resumes from its cursor at the next poll
        pollers.start("Re-scoring", config.rescore().pollInterval(), this::runNext);
    }

    /** Claims the next job (if any) and works it to the end; true when there was one. */
    public Uni<Boolean> runNext() {
        return claim().chain(id -> id == null ? Uni.createFrom().item(false)
                : runJob(id).replaceWith(true));
    }

    private Uni<UUID> claim() {
        Instant now = clock.now();
        Instant stale = now.minus(config.rescore().staleAfter());
        return Panache.withTransaction(() -> jobs.lockNextToRun(now.minus(ModelCatalog.JOB_DELAY), stale)
                .chain(id -> {
                    if (id == null) {
                        return Uni.createFrom().nullItem();
                    }
                    return RescoreJob.<RescoreJob> findById(id).chain(job -> {
                        job.heartbeatAt = now;
                        if (job.startedAt != null) {
                            job.state = RescoreJob.State.RUNNING;
                            return Uni.createFrom().item(id);
                        }
                        job.startedAt = now;
                        job.state = RescoreJob.State.RUNNING;
                        return ScoringModel.<ScoringModel> findById(job.modelId)
                                .chain(model -> candidates(job, ModelCatalog.compile(model), START,
                                        Integer.MAX_VALUE))
                                .map(all -> {
                                    job.total = all.size();
                                    return id;
                                });
                    });
                }));
    }

    private Uni<Void> runJob(UUID id) {
        return batch(id).chain(more -> more ? runJob(id) : Uni.createFrom().voidItem());
    }

    /** One batch in one transaction; false when the job is finished (or superseded). */
    private Uni<Boolean> batch(UUID id) {
        return Panache.withTransaction(() -> RescoreJob.<RescoreJob> findById(id,
                jakarta.persistence.LockModeType.PESSIMISTIC_WRITE)
                .chain(job -> ScoringModel.<ScoringModel> findById(job.modelId).chain(model -> {
                    if (job.state != RescoreJob.State.RUNNING) {
                        return Uni.createFrom().item(false);
                    }
                    if (model.version != job.modelVersion && job.kind == RescoreJob.Kind.PUBLISH) {
                        // a newer version was published meanwhile: its own job re-scores these leads
                        return finish(job, "superseded by version " + model.version);
                    }
                    UUID from = job.cursorLeadId == null ? START : job.cursorLeadId;
                    return candidates(job, ModelCatalog.compile(model), from, config.rescore().batchSize())
                            .chain(ids -> {
                                if (ids.isEmpty()) {
                                    return finish(job, null);
                                }
                                return scorer.refresh(ids, ScoreCause.RESCORE).map(result -> {
                                    job.done += ids.size();
                                    job.changed += result.changed();
                                    job.cursorLeadId = ids.get(ids.size() - 1);
                                    job.heartbeatAt = clock.now();
                                    return true;
                                });
                            });
                })))
                .onFailure().recoverWithUni(e -> {
                    LOG.warnf(e, "Re-scoring job %s: a batch failed; its leads are counted as failed", id);
                    return skipFailedBatch(id);
                });
    }

    /** Counts the next batch as failed and moves the cursor past it, so one bad lead does not stop the job. */
    private Uni<Boolean> skipFailedBatch(UUID id) {
        return Panache.withTransaction(() -> RescoreJob.<RescoreJob> findById(id,
                jakarta.persistence.LockModeType.PESSIMISTIC_WRITE)
                .chain(job -> ScoringModel.<ScoringModel> findById(job.modelId)
                        .chain(model -> candidates(job, ModelCatalog.compile(model),
                                job.cursorLeadId == null ? START : job.cursorLeadId, config.rescore().batchSize()))
                        .map(ids -> {
                            if (ids.isEmpty()) {
                                return false;
                            }
                            job.failed += ids.size();
                            job.cursorLeadId = ids.get(ids.size() - 1);
                            job.heartbeatAt = clock.now();
                            return true;
                        })));
    }

    private Uni<Boolean> finish(RescoreJob job, String note) {
        job.state = job.failed > 0 ? RescoreJob.State.FAILED : RescoreJob.State.DONE;
        job.error = job.failed > 0 ? job.failed + " lead(s) could not be re-scored" : note;
        job.finishedAt = clock.now();
        job.heartbeatAt = job.finishedAt;
        LOG.infof("Re-scoring job %s (%s of model %s v%d): %s, %d/%d leads, %d failed, %d changed", job.id, job.kind,
                job.modelId, job.modelVersion, job.state, job.done, job.total, job.failed, job.changed);
        return Uni.createFrom().item(false);
    }

    /**
     * The open leads after {@code after} (in id order) that the job affects: for a published model those its scope
     * admits and those with a score under it; for a retired model those with a score under it.
     */
    private Uni<List<UUID>> candidates(RescoreJob job, CompiledModel model, UUID after, int limit) {
        return trackedLeads.openLeadsAffectedBy(model, job.kind == RescoreJob.Kind.PUBLISH, after, limit);
    }
}
