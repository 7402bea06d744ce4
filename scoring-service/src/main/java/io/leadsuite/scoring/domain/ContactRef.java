package io.leadsuite.scoring.domain;

import java.time.Instant;
import java.util.UUID;

import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

/**
 * Scoring's projection of a contact: its normalised e-mail (interactions name contacts by it) and demographic snapshot
 * (the {@link #attributes()} DEMOGRAPHIC rules test), from {@code contact.created} / {@code contact.updated}, with the
 * sequence of the contact event that set them ({@link #eventSequence}). An erased contact stays as a tombstone: id,
 * sequence and {@link #erasedAt}, no e-mail, no attributes; no later event brings its personal data back
 * ({@link #accepts(long)}).
 */
@Entity
@Table(name = "contact_ref")
public class ContactRef extends Projection {

    @Id
    public UUID contactId;
    /** Null for an erased contact. */
    public String email;
    /** When the contact was erased; the row is then a tombstone without personal data. */
    public Instant erasedAt;
    /** The contact this one was merged into; the row is then a tombstone without personal data. */
    public UUID mergedInto;

    public boolean erased() {
        return erasedAt != null;
    }

    /**
     * Whether a snapshot of the contact with this sequence may replace the row: never for an erased or merged contact,
     * otherwise
     * when it is newer than the one applied. An unnumbered snapshot (sequence 0 or less, older producers) applies.
     * {@code ContactRefRepository#takeSnapshot} applies this rule in its upsert.
     */
    public boolean accepts(long sequence) {
        return !erased() && mergedInto == null && (sequence <= 0 || sequence > eventSequence);
    }

    /** Takes the snapshot (the caller checked {@link #accepts(long)}). */
    public void take(long sequence, String email, String attributesJson, Instant at) {
        this.email = email;
        this.attributesJson = attributesJson;
        this.eventSequence = Math.max(this.eventSequence, sequence);
        this.updatedAt = at;
    }
}
