package io.leadsuite.lead.domain;

import java.time.Instant;
import java.util.UUID;

import jakarta.persistence.Id;
import jakarta.persistence.MappedSuperclass;

import io.quarkus.hibernate.reactive.panache.PanacheEntityBase;

/**
 * What an admin defines and the lead flow reacts to (a routing rule, a nurture trigger): a named row that only counts
 * while it is enabled. Each kind has its own table with these columns.
 */
@MappedSuperclass
public abstract class Definition extends PanacheEntityBase {

    @Id
    public UUID id;
    public String name;
    public boolean enabled;
    public Instant createdAt;
    public Instant updatedAt;
}
