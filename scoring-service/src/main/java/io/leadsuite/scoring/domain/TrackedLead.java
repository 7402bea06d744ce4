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

/** A lead this service scores, remembered from {@code lead.created}. Its row is locked while its scores change. */
@Entity
@Table(name = "tracked_lead")
public class TrackedLead extends PanacheEntityBase {

    @Id
    public UUID leadId;
    public UUID contactId;
    public String topic;
    public boolean open;
    /** The lead's status as lead-service last told (OPEN, ACCEPTED, CONVERTED, WON, LOST, DISQUALIFIED). */
    public String status;
    /** The lead attributes LEAD rules test ({@code attributes} jsonb, as JSON text). */
    @Column(name = "attributes")
    @ColumnTransformer(read = "cast(attributes as text)", write = "cast(cast(? as text) as jsonb)")
    public String attributesJson = "{}";
    /** Sequence of the last {@code score.changed} published about this lead. */
    public long sequence;
    public Instant createdAt;
    public Instant updatedAt;

    public Map<String, Object> attributes() {
        return attributesJson == null ? Map.of() : new JsonObject(attributesJson).getMap();
    }

    /** Closed leads (won, lost, disqualified, converted) are no longer scored. */
    public static boolean isOpenStatus(String status) {
        return status == null || !CLOSED.contains(status.strip().toUpperCase(java.util.Locale.ROOT));
    }

    public static final java.util.Set<String> CLOSED = java.util.Set.of("WON", "LOST", "DISQUALIFIED", "CONVERTED");

    public long nextSequence() {
        return ++sequence;
    }
}
