package io.leadsuite.scoring.domain;

import java.time.Instant;
import java.util.UUID;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import org.hibernate.annotations.ColumnTransformer;
import org.hibernate.annotations.Immutable;

import io.quarkus.hibernate.reactive.panache.PanacheEntityBase;
import io.vertx.core.json.JsonObject;

/**
 * An interaction as stored. Written once with {@code insert ... on conflict do nothing} (the id is the client's), so a
 * retried interaction is a duplicate and never counts twice; read only afterwards.
 */
@Entity
@Immutable
@Table(name = "interaction")
public class Interaction extends PanacheEntityBase {

    @Id
    public String id;
    public String type;
    public UUID contactId;
    public String email;
    public UUID leadId;
    public String topic;
    public Instant occurredAt;
    /** {@code attributes} (jsonb) as JSON text, read and written through a cast. */
    @Column(name = "attributes")
    @ColumnTransformer(read = "cast(attributes as text)", write = "cast(cast(? as text) as jsonb)")
    public String attributesJson;
    public Instant receivedAt;

    public JsonObject attributes() {
        return attributesJson == null ? new JsonObject() : new JsonObject(attributesJson);
    }
}
