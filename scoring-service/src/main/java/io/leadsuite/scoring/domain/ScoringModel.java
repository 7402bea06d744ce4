package io.leadsuite.scoring.domain;

import java.time.Instant;
import java.util.UUID;

import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

/**
 * A scoring model: its id, the version in force (its content is that version's, see {@link ScoringModelContent}) and its
 * status (DRAFT until first published, PUBLISHED, RETIRED).
 */
@Entity
@Table(name = "scoring_model")
public class ScoringModel extends ScoringModelContent {

    @Id
    public UUID id;
    public int version;
    public Instant createdAt;
    public Instant updatedAt;
}
