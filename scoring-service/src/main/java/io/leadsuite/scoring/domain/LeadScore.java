package io.leadsuite.scoring.domain;

import java.io.Serializable;
import java.time.Instant;
import java.util.UUID;

import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.IdClass;
import jakarta.persistence.Table;

import io.quarkus.hibernate.reactive.panache.PanacheEntityBase;

/** A lead's current score under one model. */
@Entity
@Table(name = "lead_score")
@IdClass(LeadScore.Key.class)
public class LeadScore extends PanacheEntityBase {

    // Alike on purpose: InteractionApplication and ScoringModelVersion declare their two-column keys so too; @IdClass
    // needs each entity's own @Id fields, and the key record is what they could share.
    @Id
    public UUID leadId;
    @Id
    public UUID modelId;
    public int score;
    public String grade;
    public boolean salesReady;
    public Instant updatedAt;
    /** The version of the model this score was computed with. */
    public int modelVersion;

    /** The primary key: a lead under a model. */
    public record Key(UUID leadId, UUID modelId) implements Serializable {
    }
}
