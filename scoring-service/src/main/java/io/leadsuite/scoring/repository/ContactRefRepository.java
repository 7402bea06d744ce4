package io.leadsuite.scoring.repository;

import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import io.leadsuite.kit.sql.HqlIn;
import io.leadsuite.kit.sql.SessionSql;
import io.leadsuite.scoring.domain.ContactRef;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;

/** The queries of scoring's contact projection ({@link ContactRef}, table {@code contact_ref}). */
@ApplicationScoped
public class ContactRefRepository {

    /**
     * The contact's e-mail (null when unknown), read without making the row a managed entity: callers that then
     * change the row with a native statement must not leave an entity behind for the flush to update.
     */
    public Uni<String> emailOf(UUID contactId) {
        return Panache.getSession().chain(session -> session
                .createSelectionQuery("select c.email from ContactRef c where c.contactId = ?1", String.class)
                .setParameter(1, contactId).getSingleResultOrNull());
    }

    /**
     * What a lead event needs of its contact: the e-mail it is known by (whose lock the event takes; null when unknown
     * or erased) and whether it was erased (its leads stay closed).
     */
    public record ContactStatus(UUID contactId, String email, boolean erased) {

        /** A contact scoring does not know yet: no e-mail, not erased. */
        public static ContactStatus unknown(UUID contactId) {
            return new ContactStatus(contactId, null, false);
        }
    }

    /**
     * The status of each of these contacts, in one statement, as values (not entities, which the session would keep
     * and later reads return); a contact without a row is {@link ContactStatus#unknown}. Read under the contacts' locks,
     * it stays true until the transaction ends unless the transaction itself changes the rows.
     */
    public Uni<Map<UUID, ContactStatus>> statusesOf(Collection<UUID> contactIds) {
        return SessionSql.select("select contact_id, email, erased_at is not null from contact_ref "
                + "where contact_id = any($1)", (Object) contactIds.toArray(UUID[]::new))
                .map(rows -> {
                    Map<UUID, ContactStatus> statuses = new HashMap<>();
                    contactIds.forEach(id -> statuses.put(id, ContactStatus.unknown(id)));
                    rows.forEach(row -> statuses.put((UUID) row[0],
                            new ContactStatus((UUID) row[0], (String) row[1], (Boolean) row[2])));
                    return statuses;
                });
    }

    /**
     * The e-mails known for these contacts, as values, not entities: a row read before its lock is held would stay in
     * the session as a stale copy that later reads in the batch return (and a flush could write back).
     */
    public Uni<List<String>> emailsOf(Collection<UUID> contactIds) {
        return SessionSql.column(String.class, "select email from contact_ref where contact_id = any($1) "
                + "and email is not null", (Object) contactIds.toArray(UUID[]::new));
    }

    /**
     * Takes a contact event's snapshot (e-mail and attributes, sequence {@code sequence}) in one statement: inserts the
     * row, or replaces the stored snapshot unless the row is a tombstone (erased or merged) or holds a newer snapshot
     * ({@link ContactRef#accepts(long)}, the same rule here in SQL: an unnumbered snapshot, 0, applies); yields
     * whether it took it. Not read first: the caller holds the contact's advisory lock, and the statement decides on
     * the committed row. It changes the row behind the session's back: the caller empties the session after.
     */
    public Uni<Boolean> takeSnapshot(UUID contactId, long sequence, String email, String attributesJson,
            Instant now) {
        return SessionSql.update("insert into contact_ref (contact_id, email, attributes, event_sequence, created_at, "
                + "updated_at) values ($1, $2, coalesce(cast(cast($3 as text) as jsonb), '{}'), $4, $5, $5) "
                + "on conflict (contact_id) do update set email = excluded.email, attributes = excluded.attributes, "
                + "event_sequence = greatest(contact_ref.event_sequence, excluded.event_sequence), "
                + "updated_at = excluded.updated_at "
                + "where contact_ref.erased_at is null and contact_ref.merged_into is null "
                + "and (excluded.event_sequence = 0 or excluded.event_sequence > contact_ref.event_sequence)",
                contactId, email, attributesJson, Math.max(0, sequence), now.atOffset(ZoneOffset.UTC))
                .map(rows -> rows > 0);
    }

    /** The contacts with these normalised e-mails, oldest first (a later one wins when an e-mail repeats). */
    public Uni<List<ContactRef>> withEmails(Collection<String> emails) {
        return ContactRef.list("email " + HqlIn.in(1, emails) + " order by createdAt", HqlIn.values(emails));
    }

    /**
     * Makes the duplicate's row a tombstone that points at the survivor, unless it is an erasure's tombstone already:
     * its data lives on in the survivor, and a late or redelivered event about the duplicate cannot bring it back.
     */
    public Uni<Integer> mergeInto(UUID duplicateId, UUID survivorId, Instant now) {
        return Panache.getSession().chain(session -> session.createNativeQuery("insert into contact_ref (contact_id, "
                + "email, attributes, created_at, updated_at, merged_into) values (?1, null, '{}', ?3, ?3, ?2) "
                + "on conflict (contact_id) do update set email = null, attributes = '{}', "
                + "updated_at = excluded.updated_at, merged_into = excluded.merged_into "
                + "where contact_ref.erased_at is null")
                .setParameter(1, duplicateId).setParameter(2, survivorId)
                .setParameter(3, now).executeUpdate());
    }

    /** The contact's row without personal data, for good (erased). */
    public Uni<Integer> tombstone(UUID contactId, long sequence, Instant now) {
        return Panache.getSession().chain(session -> session.createNativeQuery("insert into contact_ref (contact_id, "
                + "email, attributes, created_at, updated_at, event_sequence, erased_at) values (?1, null, '{}', ?2, ?2, "
                + "?3, ?2) on conflict (contact_id) do update set email = null, attributes = '{}', "
                + "updated_at = excluded.updated_at, "
                + "event_sequence = greatest(contact_ref.event_sequence, excluded.event_sequence), "
                + "erased_at = coalesce(contact_ref.erased_at, excluded.erased_at)")
                .setParameter(1, contactId).setParameter(2, now).setParameter(3, Math.max(0, sequence))
                .executeUpdate());
    }
}
