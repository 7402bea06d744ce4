package io.leadsuite.scoring.service;

import java.util.List;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import io.leadsuite.kit.domain.InvalidValues;
import io.leadsuite.kit.domain.NotFound;
import io.leadsuite.kit.domain.StateConflict;
import io.leadsuite.scoring.config.ScoringClock;
import io.leadsuite.scoring.domain.ModelStatus;
import io.leadsuite.scoring.domain.RescoreJob;
import io.leadsuite.scoring.domain.ScoringModel;
import io.leadsuite.scoring.domain.ScoringModelInput;
import io.leadsuite.scoring.domain.ScoringModelVersion;
import io.leadsuite.scoring.repository.ScoringModelRepository;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;
import io.vertx.core.json.JsonObject;

/**
 * The life of a scoring model: create (DRAFT), edit, publish, retire. A published version never changes: editing a
 * published model writes its next version as a draft, which scores nothing until it is published; publishing it
 * supersedes the old version and queues a re-scoring job for the leads the model affects.
 */
@ApplicationScoped
public class ModelService {

    /** A model and, when it has one, its pending draft version. */
    public record ModelState(ScoringModel model, ScoringModelVersion draft) {
    }

    /** A model after publishing or retiring, with the re-scoring job that follows (null when none is needed). */
    public record Transition(ModelState model, RescoreJob job) {
    }

    @Inject
    ScoringClock clock;
    @Inject
    RescoreJobs jobs;
    @Inject
    ScoringModelRepository models;
    @Inject
    ModelCatalog catalog;

    public Uni<ModelState> create(JsonObject body) {
        return Panache.withTransaction(() -> {
            ScoringModelInput input = validate(body);
            ScoringModel model = new ScoringModel();
            model.id = UUID.randomUUID();
            model.status = ModelStatus.DRAFT;
            model.version = 1;
            model.createdAt = clock.now();
            model.updatedAt = model.createdAt;
            model.write(input);
            ScoringModelVersion version = new ScoringModelVersion();
            version.modelId = model.id;
            version.version = 1;
            version.status = ModelStatus.DRAFT;
            version.createdAt = model.createdAt;
            version.write(input);
            return model.persist().chain(() -> version.persist()).replaceWith(() -> new ModelState(model, null));
        });
    }

    /** Edits a draft in place; for a published model, writes (or rewrites) its next version as a draft. */
    public Uni<ModelState> update(UUID id, JsonObject body) {
        return Panache.withTransaction(() -> {
            ScoringModelInput input = validate(body);
            return lock(id).chain(model -> switch (model.status) {
                case DRAFT -> ScoringModelVersion.<ScoringModelVersion> findById(
                        new ScoringModelVersion.Key(id, model.version)).chain(version -> {
                            model.write(input);
                            model.updatedAt = clock.now();
                            version.write(input);
                            return Uni.createFrom().item(new ModelState(model, null));
                        });
                case PUBLISHED -> draftOf(model).chain(existing -> {
                    ScoringModelVersion draft = existing;
                    if (draft == null) {
                        draft = new ScoringModelVersion();
                        draft.modelId = id;
                        draft.version = model.version + 1;
                        draft.status = ModelStatus.DRAFT;
                    }
                    draft.createdAt = clock.now();
                    draft.write(input);
                    ScoringModelVersion saved = draft;
                    return (existing == null ? draft.persist().replaceWithVoid() : Uni.createFrom().voidItem())
                            .replaceWith(() -> new ModelState(model, saved));
                });
                default -> Uni.createFrom().failure(new StateConflict("Scoring model " + id
                        + " is retired and can no longer be edited; create a new model instead"));
            });
        });
    }

    /** Publishes the draft (a new model, or the next version of a published one) and queues its re-scoring. */
    public Uni<Transition> publish(UUID id) {
        return Panache.withTransaction(() -> lock(id).chain(model -> {
            if (model.status == ModelStatus.RETIRED) {
                return Uni.createFrom().failure(new StateConflict("Scoring model " + id + " is retired"));
            }
            return draftOf(model).chain(draft -> {
                if (model.status == ModelStatus.DRAFT) {
                    return ScoringModelVersion.<ScoringModelVersion> findById(
                            new ScoringModelVersion.Key(id, model.version)).chain(version -> {
                                version.status = ModelStatus.PUBLISHED;
                                version.publishedAt = clock.now();
                                model.status = ModelStatus.PUBLISHED;
                                model.updatedAt = version.publishedAt;
                                return jobs.enqueue(model, RescoreJob.Kind.PUBLISH)
                                        .map(job -> new Transition(new ModelState(model, null), job));
                            });
                }
                if (draft == null) {
                    return Uni.createFrom().failure(new StateConflict("Scoring model " + id
                            + " has no draft to publish: version " + model.version + " is already published"));
                }
                return ScoringModelVersion.<ScoringModelVersion> findById(
                        new ScoringModelVersion.Key(id, model.version)).chain(current -> {
                            if (current != null) {
                                current.status = ModelStatus.SUPERSEDED;
                            }
                            draft.status = ModelStatus.PUBLISHED;
                            draft.publishedAt = clock.now();
                            model.version = draft.version;
                            model.copy(draft);
                            model.updatedAt = draft.publishedAt;
                            return jobs.enqueue(model, RescoreJob.Kind.PUBLISH)
                                    .map(job -> new Transition(new ModelState(model, null), job));
                        });
            });
        })).invoke(catalog::changed);
    }

    /** Retires the model (and drops a pending draft); a published model's scores are withdrawn by a job. */
    public Uni<Transition> retire(UUID id) {
        return Panache.withTransaction(() -> lock(id).chain(model -> {
            if (model.status == ModelStatus.RETIRED) {
                return Uni.createFrom().failure(new StateConflict("Scoring model " + id
                        + " is already retired"));
            }
            boolean wasPublished = model.status == ModelStatus.PUBLISHED;
            return draftOf(model)
                    .chain(draft -> draft == null ? Uni.createFrom().voidItem() : draft.delete())
                    .chain(() -> ScoringModelVersion.<ScoringModelVersion> findById(
                            new ScoringModelVersion.Key(id, model.version)))
                    .chain(version -> {
                        if (version != null) {
                            version.status = ModelStatus.RETIRED;
                        }
                        model.status = ModelStatus.RETIRED;
                        model.updatedAt = clock.now();
                        return wasPublished ? jobs.enqueue(model, RescoreJob.Kind.RETIRE)
                                : Uni.createFrom().<RescoreJob> nullItem();
                    })
                    .map(job -> new Transition(new ModelState(model, null), job));
        })).invoke(catalog::changed);
    }

    public Uni<ModelState> get(UUID id) {
        return Panache.withSession(() -> ScoringModel.<ScoringModel> findById(id)
                .onItem().ifNull().failWith(() -> new NotFound("Scoring model", id))
                .chain(model -> draftOf(model).map(draft -> new ModelState(model, draft))));
    }

    public Uni<List<ScoringModelVersion>> versions(UUID id) {
        return Panache.withSession(() -> ScoringModel.<ScoringModel> findById(id)
                .onItem().ifNull().failWith(() -> new NotFound("Scoring model", id))
                .chain(model -> models.versionsOf(id)));
    }

    public Uni<ScoringModelVersion> version(UUID id, int version) {
        return Panache
                .withSession(() -> ScoringModelVersion.<ScoringModelVersion> findById(new ScoringModelVersion.Key(id, version))
                        .onItem().ifNull().failWith(() -> new NotFound("Version " + version + " of scoring model",
                                id)));
    }

    private static Uni<ScoringModel> lock(UUID id) {
        return ScoringModel.<ScoringModel> findById(id, jakarta.persistence.LockModeType.PESSIMISTIC_WRITE)
                .onItem().ifNull().failWith(() -> new NotFound("Scoring model", id));
    }

    private Uni<ScoringModelVersion> draftOf(ScoringModel model) {
        return models.draftOf(model);
    }

    private static ScoringModelInput validate(JsonObject body) {
        ScoringModelInput.Result result = ScoringModelInput.read(body);
        if (!result.valid()) {
            throw new InvalidValues("The scoring model is not valid: " + result.violations().size() + " problem(s)",
                    result.violations());
        }
        return result.input();
    }
}
