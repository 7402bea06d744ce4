package io.leadsuite.scoring.domain;

import java.time.Instant;
import java.util.UUID;

import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import io.quarkus.hibernate.reactive.panache.PanacheEntityBase;
import io.smallrye.mutiny.Uni;

/** A contact's normalised e-mail, from {@code contact.created}. */
@Entity
@Table(name = "contact_ref")
public class ContactRef extends PanacheEntityBase {

    @Id
    public UUID contactId;
    public String email;
    public Instant createdAt;

    /** The contact with this normalised e-mail (the newest, should there be several), or null. */
    public static Uni<ContactRef> findByEmail(String email) {
        return find("email = ?1 order by createdAt desc", email).firstResult();
    }
}
