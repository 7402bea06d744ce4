package io.leadsuite.contact.domain;

import java.time.Instant;
import java.util.UUID;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import jakarta.persistence.Version;

import io.quarkus.hibernate.reactive.panache.PanacheEntityBase;
import io.smallrye.mutiny.Uni;

/** A person, unique by normalised e-mail. */
@Entity
@Table(name = "contact")
public class Contact extends PanacheEntityBase {

    @Id
    public UUID id;
    @Column(nullable = false, unique = true)
    public String email;
    public String firstName;
    public String lastName;
    public String phone;
    public String company;
    public String jobTitle;
    public String industry;
    public String country;
    public boolean consentMarketing;
    public Instant consentAt;
    public String consentSource;
    /** Sequence of the last event published about this contact (per-subject order). */
    public long eventSequence;
    public Instant createdAt;
    public Instant updatedAt;
    @Version
    public long version;

    public static Uni<Contact> findByEmail(String normalisedEmail) {
        return find("email", normalisedEmail).firstResult();
    }

    public long nextEventSequence() {
        return ++eventSequence;
    }
}
