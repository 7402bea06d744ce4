package io.leadsuite.scoring.domain;

import java.time.Instant;
import java.util.UUID;

import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import io.quarkus.hibernate.reactive.panache.PanacheEntityBase;

/** One change of a lead's standing under a model, and what caused it. */
@Entity
@Table(name = "lead_score_history")
public class ScoreHistoryEntry extends PanacheEntityBase {

    /** An interaction was scored. */
    public static final String INTERACTION = "INTERACTION";
    /** Windowed points expired. */
    public static final String DECAY = "DECAY";
    /** The model was published, edited or retired. */
    public static final String RESCORE = "RESCORE";
    /** A contact or lead attribute changed (DEMOGRAPHIC and LEAD rules), or the lead's topic. */
    public static final String ATTRIBUTES = "ATTRIBUTES";

    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    public Long id;
    public UUID leadId;
    public UUID modelId;
    public int modelVersion;
    public int score;
    public String grade;
    public boolean salesReady;
    public String cause;
    public String interactionId;
    public Instant at;
}
