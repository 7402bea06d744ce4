package io.leadsuite.scoring.domain;

import java.time.Instant;
import java.util.UUID;

import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import io.quarkus.hibernate.reactive.panache.PanacheEntityBase;

/**
 * Re-scoring the leads a model affects after it was published, edited or retired; worked through in batches in the
 * background, resumable from {@code cursorLeadId}.
 */
@Entity
@Table(name = "rescore_job")
public class RescoreJob extends PanacheEntityBase {

    /** What the job does: re-score after a publication, or withdraw the scores of a retired model. */
    public enum Kind {
        PUBLISH,
        RETIRE
    }

    /** Where the job is: FAILED when it finished but some leads could not be re-scored. */
    public enum State {
        QUEUED,
        RUNNING,
        DONE,
        FAILED
    }

    @Id
    public UUID id;
    public UUID modelId;
    public int modelVersion;
    @Enumerated(EnumType.STRING)
    public Kind kind;
    @Enumerated(EnumType.STRING)
    public State state;
    public int total;
    public int done;
    public int failed;
    /** Leads whose published scores changed. */
    public int changed;
    public UUID cursorLeadId;
    public String error;
    public Instant createdAt;
    public Instant startedAt;
    public Instant heartbeatAt;
    public Instant finishedAt;
}
