package io.leadsuite.scoring.domain;

import java.time.Instant;
import java.util.Map;
import java.util.UUID;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import org.hibernate.annotations.ColumnTransformer;

import io.quarkus.hibernate.reactive.panache.PanacheEntityBase;
import io.vertx.core.json.JsonObject;

/**
 * Scoring's projection of a contact: its normalised e-mail (interactions name contacts by it) and demographic snapshot,
 * from {@code contact.created} / {@code contact.updated}, with the sequence of the contact event that set them. An
 * erased contact stays as a tombstone: id, sequence and {@link #erasedAt}, no e-mail, no attributes; no later event
 * brings its personal data back ({@link #accepts(long)}).
 */
@Entity
@Table(name = "contact_ref")
public class ContactRef extends PanacheEntityBase {

    @Id
    public UUID contactId;
    /** Null for an erased contact. */
    public String email;
    /** Sequence of the contact event that last set this row (0: none, or an unnumbered one). */
    public long eventSequence;
    /** When the contact was erased; the row is then a tombstone without personal data. */
    public Instant erasedAt;
    /** The contact this one was merged into; the row is then a tombstone without personal data. */
    public UUID mergedInto;
    public Instant createdAt;
    public Instant updatedAt;
    /** The demographic snapshot DEMOGRAPHIC rules test ({@code attributes} jsonb, as JSON text). */
    @Column(name = "attributes")
    @ColumnTransformer(read = "cast(attributes as text)", write = "cast(cast(? as text) as jsonb)")
    public String attributesJson = "{}";

    public boolean erased() {
        return erasedAt != null;
    }

    /**
     * Whether a snapshot of the contact with this sequence may replace the row: never for an erased or merged contact,
     * otherwise
     * when it is newer than the one applied. An unnumbered snapshot (sequence 0 or less, older producers) applies.
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

    public Map<String, Object> attributes() {
        return attributesJson == null ? Map.of() : new JsonObject(attributesJson).getMap();
    }
}
