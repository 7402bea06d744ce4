package io.leadsuite.lead.repository;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
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

    /** A contact's country and marketing consent as contact-service reported them at {@code at}. */
    public record Report(UUID contact, String country, boolean marketingConsent, Instant at) {
    }

    /**
     * The contacts' countries and marketing consents as reported, in one statement: a later report wins over the one
     * kept, and nothing is kept for an erased contact (a late or redelivered report brings nothing back). Several
     * reports of one contact leave what applying them in order would: the latest, the later one of equal times.
     */
    public Uni<Void> reported(List<Report> reports) {
        Map<UUID, Report> latest = new LinkedHashMap<>();
        for (Report report : reports) {
            latest.merge(report.contact(), report, (kept, next) -> next.at().isBefore(kept.at()) ? kept : next);
        }
        if (latest.isEmpty()) {
            return Uni.createFrom().voidItem();
        }
        int n = latest.size();
        UUID[] contacts = new UUID[n];
        String[] countries = new String[n];
        Boolean[] consents = new Boolean[n];
        OffsetDateTime[] at = new OffsetDateTime[n];
        int i = 0;
        for (Report report : latest.values()) {
            contacts[i] = report.contact();
            countries[i] = report.country() == null ? null : report.country().toUpperCase(Locale.ROOT);
            consents[i] = report.marketingConsent();
            at[i] = report.at().atOffset(ZoneOffset.UTC);
            i++;
        }
        // reads and writes tables no entity maps: the session is not flushed (dirty-checked) first
        return SessionSql.update(REPORTED, contacts, countries, consents, at).replaceWithVoid();
    }

    private static final String REPORTED = """
            insert into contact_country (contact_id, country, marketing_consent, updated_at)
            select r.contact_id, r.country, r.marketing_consent, r.updated_at
            from unnest($1::uuid[], $2::text[], $3::boolean[], $4::timestamptz[])
                as r(contact_id, country, marketing_consent, updated_at)
            where not exists (select 1 from erased_contact e where e.contact_id = r.contact_id)
            on conflict (contact_id) do update set country = excluded.country,
                marketing_consent = excluded.marketing_consent, updated_at = excluded.updated_at
            where contact_country.updated_at <= excluded.updated_at""";

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
