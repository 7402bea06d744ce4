package io.leadsuite.scoring.domain;

import java.time.Instant;
import java.util.UUID;

import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import io.quarkus.hibernate.reactive.panache.PanacheEntityBase;

/** A lead this service scores, remembered from {@code lead.created}. Its row is locked while its scores change. */
@Entity
@Table(name = "tracked_lead")
public class TrackedLead extends PanacheEntityBase {

    @Id
    public UUID leadId;
    public UUID contactId;
    public String topic;
    public boolean open;
    /** Sequence of the last {@code score.changed} published about this lead. */
    public long sequence;
    public Instant createdAt;
    public Instant updatedAt;

    public long nextSequence() {
        return ++sequence;
    }
}
