package io.leadsuite.scoring.domain;

import java.io.Serializable;
import java.time.Instant;
import java.util.UUID;

import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.IdClass;
import jakarta.persistence.Table;

import io.quarkus.hibernate.reactive.panache.PanacheEntityBase;

/**
 * That an interaction was applied to a lead. Written with {@code insert ... on conflict do nothing}: the primary key
 * (interaction, lead) is what guarantees nothing is applied twice.
 */
@Entity
@Table(name = "interaction_application")
@IdClass(InteractionApplication.Key.class)
public class InteractionApplication extends PanacheEntityBase {

    @Id
    public String interactionId;
    @Id
    public UUID leadId;
    public Instant appliedAt;

    /** The primary key: one application of an interaction to a lead. */
    public record Key(String interactionId, UUID leadId) implements Serializable {
    }
}
