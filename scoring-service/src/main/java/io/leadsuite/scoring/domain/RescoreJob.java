package io.leadsuite.scoring.domain;

import java.time.Instant;
import java.util.UUID;

import jakarta.persistence.Entity;
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

    public static final String PUBLISH = "PUBLISH";
    public static final String RETIRE = "RETIRE";
    public static final String QUEUED = "QUEUED";
    public static final String RUNNING = "RUNNING";
    public static final String DONE = "DONE";
    public static final String FAILED = "FAILED";

    @Id
    public UUID id;
    public UUID modelId;
    public int modelVersion;
    public String kind;
    public String state;
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
