package io.leadsuite.scoring.domain;

import java.io.Serializable;
import java.time.Instant;
import java.util.Objects;
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

    public static class Key implements Serializable {
        public UUID leadId;
        public UUID modelId;

        public Key() {
        }

        public Key(UUID leadId, UUID modelId) {
            this.leadId = leadId;
            this.modelId = modelId;
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Key k && Objects.equals(leadId, k.leadId) && Objects.equals(modelId, k.modelId);
        }

        @Override
        public int hashCode() {
            return Objects.hash(leadId, modelId);
        }
    }
}
