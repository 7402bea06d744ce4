package io.leadsuite.scoring.domain;

import java.time.Instant;
import java.util.Map;

import jakarta.persistence.Column;
import jakarta.persistence.MappedSuperclass;

import org.hibernate.annotations.ColumnTransformer;

import io.quarkus.hibernate.reactive.panache.PanacheEntityBase;
import io.vertx.core.json.JsonObject;

/**
 * What scoring's copies of another service's entities ({@link ContactRef}, {@link TrackedLead}) keep alike: the
 * attributes rules test ({@code attributes} jsonb, read and written as JSON text through a cast), the sequence of the
 * newest event applied to the row, and when the row was made and last changed.
 */
@MappedSuperclass
public abstract class Projection extends PanacheEntityBase {

    /**
     * The attributes rules test ({@code attributes} jsonb, as JSON text); null is stored as none ({@code {}}). No
     * initial value on purpose: Hibernate's dirty tracking then took every loaded row for changed (the value read
     * differs from the initial one), and each flush wrote back every tracked lead and contact it had loaded.
     */
    @Column(name = "attributes")
    @ColumnTransformer(read = "cast(attributes as text)", write = "coalesce(cast(cast(? as text) as jsonb), '{}')")
    public String attributesJson;
    /** Sequence of the newest event applied to the row (0: none, or only unnumbered ones). */
    public long eventSequence;
    public Instant createdAt;
    public Instant updatedAt;

    public Map<String, Object> attributes() {
        return attributesJson == null ? Map.of() : new JsonObject(attributesJson).getMap();
    }
}
