package io.leadsuite.scoring.domain;

import java.time.Instant;
import java.util.UUID;

import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import io.quarkus.hibernate.reactive.panache.PanacheEntityBase;

/** One change of a lead's standing under a model, and what caused it. */
@Entity
@Table(name = "lead_score_history")
public class ScoreHistoryEntry extends PanacheEntityBase {

    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    public Long id;
    public UUID leadId;
    public UUID modelId;
    public int modelVersion;
    public int score;
    public String grade;
    public boolean salesReady;
    @Enumerated(EnumType.STRING)
    public ScoreCause cause;
    public String interactionId;
    public Instant at;
}
