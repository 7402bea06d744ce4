package io.leadsuite.contact.domain;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.UUID;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import jakarta.persistence.Version;

import io.quarkus.hibernate.reactive.panache.PanacheEntityBase;

/**
 * A person, unique by normalised e-mail. A merged duplicate keeps only its e-mail (so a capture naming it finds the
 * survivor) and {@link #mergedInto}; an erased contact is a tombstone without any personal data.
 */
@Entity
@Table(name = "contact")
public class Contact extends PanacheEntityBase {

    public enum Status {
        ACTIVE,
        MERGED,
        ERASED
    }

    /** What an incoming null does to a field when details are taken in ({@link #take}). */
    public enum Blanks {
        /** A merge patch: the details are the contact's whole new state, so a null clears the field. */
        CLEAR,
        /** An import row: an empty cell says nothing, so a null leaves the field as it is. */
        KEEP
    }

    /** The fields a change can name, in the order {@code contact.updated} lists them. */
    public static final List<String> FIELDS = List.of("email", "firstName", "lastName", "phone", "company", "jobTitle",
            "industry", "country", "consent");

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

    /**
     * How incoming details update a contact, for a merge patch and an import row alike. Names, phone, company, job
     * title, industry and country: an incoming value replaces the stored one, an incoming null clears it or leaves it
     * as {@code blanks} says. Marketing consent changes only when the details name it ({@code consent} not null) and
     * it differs: given or withdrawn at {@code consentGivenAt} (or {@code now} when that is null), from the details'
     * source. The e-mail is not taken: it is the contact's identity, changed only once it is known to belong to no
     * other contact. Nothing else changes (not {@code updatedAt}, version or sequence).
     *
     * @return the fields that changed, in the order of {@link #FIELDS}; empty when nothing did
     */
    public List<String> take(ContactDetails incoming, Blanks blanks, Instant consentGivenAt, Instant now) {
        List<String> changed = new ArrayList<>();
        firstName = take("firstName", firstName, incoming.firstName(), blanks, changed);
        lastName = take("lastName", lastName, incoming.lastName(), blanks, changed);
        phone = take("phone", phone, incoming.phone(), blanks, changed);
        company = take("company", company, incoming.company(), blanks, changed);
        jobTitle = take("jobTitle", jobTitle, incoming.jobTitle(), blanks, changed);
        industry = take("industry", industry, incoming.industry(), blanks, changed);
        country = take("country", country, incoming.country(), blanks, changed);
        if (incoming.consent() != null && incoming.consent() != consentMarketing) {
            consentMarketing = incoming.consent();
            consentAt = consentGivenAt != null ? consentGivenAt : now;
            consentSource = incoming.consentSource();
            changed.add("consent");
        }
        return changed;
    }

    private static String take(String field, String stored, String incoming, Blanks blanks, List<String> changed) {
        if (incoming == null && blanks == Blanks.KEEP || Objects.equals(stored, incoming)) {
            return stored;
        }
        changed.add(field);
        return incoming;
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
