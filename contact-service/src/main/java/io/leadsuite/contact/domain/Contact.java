package io.leadsuite.contact.domain;

import java.time.Instant;
import java.util.UUID;

import jakarta.persistence.Column;
import jakarta.persistence.ColumnResult;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.Id;
import jakarta.persistence.SqlResultSetMapping;
import jakarta.persistence.Table;
import jakarta.persistence.Version;

import io.quarkus.hibernate.reactive.panache.PanacheEntityBase;
import io.smallrye.mutiny.Uni;

/**
 * A person, unique by normalised e-mail. A merged duplicate keeps only its e-mail (so a capture naming it finds the
 * survivor) and {@link #mergedInto}; an erased contact is a tombstone without any personal data.
 */
@Entity
@Table(name = "contact")
// The typed columns of the match-or-create statement (ContactService.MATCH_OR_CREATE): "created", then the contact.
@SqlResultSetMapping(name = Contact.MATCH_MAPPING, columns = {
        @ColumnResult(name = "created", type = Boolean.class),
        @ColumnResult(name = "id", type = UUID.class),
        @ColumnResult(name = "email", type = String.class),
        @ColumnResult(name = "first_name", type = String.class),
        @ColumnResult(name = "last_name", type = String.class),
        @ColumnResult(name = "phone", type = String.class),
        @ColumnResult(name = "company", type = String.class),
        @ColumnResult(name = "job_title", type = String.class),
        @ColumnResult(name = "industry", type = String.class),
        @ColumnResult(name = "country", type = String.class),
        @ColumnResult(name = "consent_marketing", type = Boolean.class),
        @ColumnResult(name = "consent_at", type = Instant.class),
        @ColumnResult(name = "consent_source", type = String.class),
        @ColumnResult(name = "status", type = String.class),
        @ColumnResult(name = "merged_into", type = UUID.class),
        @ColumnResult(name = "merged_at", type = Instant.class),
        @ColumnResult(name = "erased_at", type = Instant.class),
        @ColumnResult(name = "event_sequence", type = Long.class),
        @ColumnResult(name = "created_at", type = Instant.class),
        @ColumnResult(name = "updated_at", type = Instant.class),
        @ColumnResult(name = "version", type = Long.class) })
public class Contact extends PanacheEntityBase {

    /** The result mapping of match-or-create: {@code created}, then the columns in the order above. */
    public static final String MATCH_MAPPING = "Contact.match";

    public enum Status {
        ACTIVE,
        MERGED,
        ERASED
    }

    @Id
    public UUID id;
    @Column(unique = true)
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
    /** Consent was asked for on a public web form and is not confirmed yet (double opt-in). */
    public boolean consentPending;
    @Enumerated(EnumType.STRING)
    // no field initialiser: with enhanced dirty tracking it would mark every loaded contact dirty
    public Status status;
    public UUID mergedInto;
    public Instant mergedAt;
    public Instant erasedAt;
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

    public boolean active() {
        return status == Status.ACTIVE;
    }

    /** Removes every personal field; the e-mail too unless {@code keepEmail}. */
    public void clearPersonalData(boolean keepEmail) {
        if (!keepEmail) {
            email = null;
        }
        firstName = null;
        lastName = null;
        phone = null;
        company = null;
        jobTitle = null;
        industry = null;
        country = null;
        consentMarketing = false;
        consentAt = null;
        consentSource = null;
        consentPending = false;
    }
}
