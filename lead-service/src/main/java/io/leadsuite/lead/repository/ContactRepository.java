package io.leadsuite.lead.repository;

import java.time.Instant;
import java.util.Locale;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import io.leadsuite.kit.sql.SessionSql;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;

/**
 * Contacts as lead-service knows them, from contact-service's events: the country and marketing consent last reported
 * ({@code contact_country}), the tombstones of erased contacts ({@code erased_contact}), and the lock that orders a
 * capture for a contact with its erasure. In the caller's transaction.
 */
@ApplicationScoped
public class ContactRepository {

    /**
     * Orders a capture for a contact and the contact's erasure (a transaction-scoped advisory lock on the contact id,
     * shared by captures, exclusive for the erasure): a capture that began first commits its lead before the erasure
     * looks for the contact's leads; one that comes second sees the tombstone. Without it, a capture racing the
     * erasure could open a lead the erasure never sees.
     */
    public Uni<Void> lock(UUID contact, boolean exclusive) {
        return SessionSql.select("select cast(" + (exclusive ? "pg_advisory_xact_lock" : "pg_advisory_xact_lock_shared")
                + "(hashtextextended($1, 0)) as text)", contact.toString())
                .replaceWithVoid();
    }

    /** Whether the contact was erased; the caller holds {@link #lock} so the answer holds until it commits. */
    public Uni<Boolean> isErased(UUID contact) {
        return SessionSql.select("select 1 from erased_contact where contact_id = $1", contact)
                .map(rows -> !rows.isEmpty());
    }

    /** The contact's country as last reported, or null. */
    public Uni<String> country(UUID contact) {
        return SessionSql.column(String.class, "select country from contact_country where contact_id = $1", contact)
                .map(countries -> countries.isEmpty() ? null : countries.get(0));
    }

    /**
     * The contact's country and marketing consent as reported at {@code at}; a later report wins, and nothing is kept
     * for an erased contact (a late or redelivered report brings nothing back).
     */
    public Uni<Void> reported(UUID contact, String country, boolean marketingConsent, Instant at) {
        // reads and writes tables no entity maps: the session is not flushed (dirty-checked) first
        return SessionSql.executeWithoutFlush(session -> session.createNativeQuery("insert into contact_country "
                + "(contact_id, country, marketing_consent, updated_at) select ?1, ?2, ?4, ?3 where not exists "
                + "(select 1 from erased_contact where contact_id = ?1) on conflict (contact_id) do update set "
                + "country = excluded.country, marketing_consent = excluded.marketing_consent, "
                + "updated_at = excluded.updated_at where contact_country.updated_at <= excluded.updated_at")
                .setParameter(1, contact)
                .setParameter(2, country == null ? null : country.toUpperCase(Locale.ROOT))
                .setParameter(3, at).setParameter(4, marketingConsent)).replaceWithVoid();
    }

    /** The contact was erased at {@code at}: its tombstone, and nothing kept about it. */
    public Uni<Void> erased(UUID contact, Instant at) {
        return Panache.getSession().chain(session -> session.createNativeQuery("insert into erased_contact "
                + "(contact_id, erased_at) values (?1, ?2) on conflict (contact_id) do nothing").setParameter(1, contact)
                .setParameter(2, at).executeUpdate()
                .chain(() -> session.createNativeQuery("delete from contact_country where contact_id = ?1")
                        .setParameter(1, contact).executeUpdate()))
                .replaceWithVoid();
    }
}
