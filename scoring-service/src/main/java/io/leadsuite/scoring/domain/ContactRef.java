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
import io.smallrye.mutiny.Uni;
import io.vertx.core.json.JsonObject;

/** A contact's normalised e-mail, from {@code contact.created}. */
@Entity
@Table(name = "contact_ref")
public class ContactRef extends PanacheEntityBase {

    @Id
    public UUID contactId;
    public String email;
    public Instant createdAt;
    public Instant updatedAt;
    /** The demographic snapshot DEMOGRAPHIC rules test ({@code attributes} jsonb, as JSON text). */
    @Column(name = "attributes")
    @ColumnTransformer(read = "cast(attributes as text)", write = "cast(cast(? as text) as jsonb)")
    public String attributesJson = "{}";

    public Map<String, Object> attributes() {
        return attributesJson == null ? Map.of() : new JsonObject(attributesJson).getMap();
    }

    /**
     * The contact's e-mail (null when unknown), read without making the row a managed entity: callers that then
     * delete the row with a native statement must not leave an entity behind for the flush to update.
     */
    public static Uni<String> emailOf(UUID contactId) {
        return io.quarkus.hibernate.reactive.panache.Panache.getSession().chain(session -> session
                .createSelectionQuery("select c.email from ContactRef c where c.contactId = ?1", String.class)
                .setParameter(1, contactId).getSingleResultOrNull());
    }

    /** The contact with this normalised e-mail (the newest, should there be several), or null. */
    public static Uni<ContactRef> findByEmail(String email) {
        return find("email = ?1 order by createdAt desc", email).firstResult();
    }
}
