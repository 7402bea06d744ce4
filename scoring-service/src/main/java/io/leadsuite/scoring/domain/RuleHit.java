package io.leadsuite.scoring.domain;

import java.time.Instant;
import java.util.UUID;

import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import io.quarkus.hibernate.reactive.panache.PanacheEntityBase;

/** A rule that fired for a lead under a model: the explanation of its score, which is the sum of its hits. */
@Entity
@Table(name = "rule_hit")
public class RuleHit extends PanacheEntityBase {

    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    public Long id;
    public UUID leadId;
    public UUID modelId;
    public String ruleId;
    public String interactionId;
    public int points;
    public Instant occurredAt;
    public Instant recordedAt;
    /** When a hit of a windowed rule stops counting; null when it never does. */
    public Instant expiresAt;

    public ActiveHit active() {
        return new ActiveHit(ruleId, interactionId, points, occurredAt, expiresAt);
    }
}
