package io.leadsuite.contact.repository;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Function;

import jakarta.enterprise.context.ApplicationScoped;

import org.hibernate.LockMode;

import io.leadsuite.contact.domain.Contact;
import io.leadsuite.contact.domain.ContactDetails;
import io.leadsuite.kit.sql.SessionSql;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;

/**
 * The contact aggregate as stored: the contact, its consent history ({@code consent_change}) and its open consent
 * confirmations ({@code consent_confirmation}). Every statement about them is here. Reactive methods run in the
 * caller's session (and transaction); selects go through the kit's {@link SessionSql}, native updates through the
 * session. The import's bulk statements take the import's JDBC connection (see the service package).
 */
@ApplicationScoped
public class ContactRepository {

    /** The result of one match-or-create statement. */
    public record Matched(Contact contact, boolean created) {
    }

    /** A consent given or withdrawn, as recorded. */
    public record ConsentRecord(boolean marketing, Instant at, String source) {
    }

    /** The columns of a contact in the order {@link #row} reads them. */
    private static final String COLUMNS = "id, email, first_name, last_name, phone, company, job_title, industry, "
            + "country, consent_marketing, consent_at, consent_source, status, merged_into, merged_at, erased_at, "
            + "event_sequence, created_at, updated_at, version";

    /**
     * Match-or-create in one statement. {@code ins} inserts the contact unless the e-mail is taken (a new contact
     * starts at version 1 with event sequence 1: its {@code contact.created} is event 1); {@code consent} records the
     * consent of a contact it created; the answer is the inserted row ({@code created} true) or else the row holding
     * the e-mail, or the survivor it was merged into. When a concurrent transaction committed the e-mail after this
     * statement's snapshot was taken, the insert does nothing and the select does not see that row either: no row.
     */
    static final String MATCH_OR_CREATE = "with ins as (insert into contact (id, email, first_name, last_name, phone, "
            + "company, job_title, industry, country, consent_marketing, consent_at, consent_source, status, "
            + "event_sequence, created_at, updated_at, version) "
            + "values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, 'ACTIVE', 1, $13, $13, 1) "
            + "on conflict (email) do nothing returning " + COLUMNS + "), "
            + "consent as (insert into consent_change (contact_id, marketing, at, source) "
            + "select id, true, consent_at, consent_source from ins where consent_marketing) "
            + "select true as created, " + COLUMNS + " from ins "
            + "union all select false, " + COLUMNS + " from contact where id = (select case when c.status = 'MERGED' "
            + "and c.merged_into is not null then c.merged_into else c.id end from contact c where c.email = $2) "
            + "and not exists (select 1 from ins)";

    /**
     * One run of match-or-create for normalised {@code details}: the contact created with {@code id} (and, when
     * {@code consent}, marketing consent given at {@code now} and recorded), or the one holding the e-mail. Null when
     * a concurrent transaction committed the e-mail after the statement began: run it again. Nothing is loaded into
     * the session: the contact is detached, read from the statement's row.
     */
    public Uni<Matched> matchOrCreate(ContactDetails details, UUID id, boolean consent, Instant now) {
        OffsetDateTime at = utc(now);
        return SessionSql.select(MATCH_OR_CREATE, id, details.email(), details.firstName(), details.lastName(),
                details.phone(), details.company(), details.jobTitle(), details.industry(), details.country(),
                consent, consent ? at : null, consent ? details.consentSource() : null, at)
                .map(rows -> rows.isEmpty() ? null : new Matched(row(rows.get(0), 1), (Boolean) rows.get(0)[0]));
    }

    /** The contact in any state, in the session; null when there never was one. */
    public Uni<Contact> find(UUID id) {
        return Contact.findById(id);
    }

    /** As {@link #find}, its row locked until the transaction ends. */
    public Uni<Contact> lock(UUID id) {
        return Panache.getSession().chain(s -> s.find(Contact.class, id, LockMode.PESSIMISTIC_WRITE));
    }

    /** The contact holding the normalised e-mail (a merged duplicate holds its own), in the session; or null. */
    public Uni<Contact> findByEmail(String email) {
        return Contact.find("email", email).firstResult();
    }

    /** The duplicates merged into the contact, in the session. */
    public Uni<List<Contact>> duplicatesOf(UUID survivorId) {
        return Contact.list("mergedInto = ?1 and status = ?2", survivorId, Contact.Status.MERGED);
    }

    /**
     * Active contacts after the keyset position ({@code afterCreatedAt}, {@code afterId}; both null for the first
     * page), oldest first, at most {@code limit}, detached. Filters, each skipped when null: {@code like} a lower-case
     * LIKE pattern (backslash escapes) matched against e-mail, names, full name and company; {@code email} exact;
     * {@code company} case-insensitive.
     */
    public Uni<List<Contact>> search(String like, String email, String company, Instant afterCreatedAt, UUID afterId,
            int limit) {
        StringBuilder sql = new StringBuilder("select ").append(COLUMNS)
                .append(", consent_pending from contact where status = 'ACTIVE'");
        List<Object> params = new ArrayList<>();
        if (like != null) {
            params.add(like);
            int p = params.size();
            sql.append(" and (email like $").append(p).append(" escape '\\' or lower(first_name) like $").append(p)
                    .append(" escape '\\' or lower(last_name) like $").append(p)
                    .append(" escape '\\' or lower(coalesce(first_name, '') || ' ' || coalesce(last_name, '')) like $")
                    .append(p).append(" escape '\\' or lower(company) like $").append(p).append(" escape '\\')");
        }
        if (email != null) {
            params.add(email);
            sql.append(" and email = $").append(params.size());
        }
        if (company != null) {
            params.add(company);
            sql.append(" and lower(company) = lower($").append(params.size()).append("::text)");
        }
        if (afterCreatedAt != null) {
            params.add(utc(afterCreatedAt));
            params.add(afterId);
            sql.append(" and (created_at, id) > ($").append(params.size() - 1).append("::timestamptz, $")
                    .append(params.size()).append("::uuid)");
        }
        params.add(limit);
        sql.append(" order by created_at, id limit $").append(params.size()).append("::int");
        return SessionSql.select(sql.toString(), params.toArray()).map(rows -> rows.stream().map(r -> {
            Contact c = row(r, 0);
            c.consentPending = (Boolean) r[20];
            return c;
        }).toList());
    }

    /** Records a consent given or withdrawn in the contact's history. */
    public Uni<Void> recordConsent(UUID contactId, boolean marketing, Instant at, String source) {
        return Panache.getSession().chain(s -> s.createNativeQuery(
                "insert into consent_change (contact_id, marketing, at, source) values (?1, ?2, ?3, ?4)")
                .setParameter(1, contactId).setParameter(2, marketing).setParameter(3, at).setParameter(4, source)
                .executeUpdate()).replaceWithVoid();
    }

    /** The contact's consent history (with its merged duplicates'), in the order recorded. */
    public Uni<List<ConsentRecord>> consentHistory(UUID contactId) {
        return SessionSql.select("select marketing, at, source from consent_change where contact_id = $1 order by id",
                contactId).map(
                        rows -> rows.stream()
                                .map(r -> new ConsentRecord((Boolean) r[0], instant(r[1]), (String) r[2])).toList());
    }

    /**
     * The statements of a merge besides the two contacts' fields: the duplicate's consent history moves to the
     * survivor, and earlier duplicates of the duplicate point straight at the survivor.
     */
    public Uni<Void> mergeInto(UUID survivorId, UUID duplicateId) {
        return Panache.getSession().chain(s -> s.createNativeQuery(
                "update consent_change set contact_id = ?1 where contact_id = ?2")
                .setParameter(1, survivorId).setParameter(2, duplicateId).executeUpdate()
                .chain(() -> s.createNativeQuery("update contact set merged_into = ?1, version = version + 1 "
                        + "where merged_into = ?2 and status = 'MERGED'")
                        .setParameter(1, survivorId).setParameter(2, duplicateId).executeUpdate()))
                .replaceWithVoid();
    }

    /**
     * What an erasure deletes besides the contact's fields: its consent history and open confirmations, the stored
     * answers of idempotent requests that created it (their bodies hold the contact), its dead-lettered events and
     * its events not relayed yet (they carry its e-mail and names: {@code contact.erased}, written next, tells every
     * service what it needs to know).
     */
    public Uni<Void> deletePersonalTraces(UUID contactId) {
        return Panache.getSession().chain(s -> s
                .createNativeQuery("delete from consent_change where contact_id = ?1").setParameter(1, contactId)
                .executeUpdate()
                .chain(() -> s.createNativeQuery("delete from consent_confirmation where contact_id = ?1")
                        .setParameter(1, contactId).executeUpdate())
                .chain(() -> s.createNativeQuery("delete from idempotent_request where location = ?1")
                        .setParameter(1, "/contacts/" + contactId).executeUpdate())
                .chain(() -> s.createNativeQuery("delete from outbox_dead_letter where subject = ?1")
                        .setParameter(1, contactId).executeUpdate())
                .chain(() -> s.createNativeQuery("delete from outbox_message where subject = ?1")
                        .setParameter(1, contactId).executeUpdate()))
                .replaceWithVoid();
    }

    /** How many of the contact's consent confirmations are still open at {@code now}. */
    public Uni<Long> openConfirmations(UUID contactId, Instant now) {
        return SessionSql.select("select count(*) from consent_confirmation where contact_id = $1 and expires_at > $2",
                contactId, utc(now)).map(rows -> ((Number) rows.get(0)[0]).longValue());
    }

    /**
     * Marks the contact's consent pending by statement (a match answers a detached contact), taking the next event
     * sequence and version; answers that sequence.
     */
    public Uni<Long> markConsentPending(UUID contactId, Instant now) {
        return SessionSql.select("update contact set consent_pending = true, event_sequence = event_sequence + 1, "
                + "version = version + 1, updated_at = $2 where id = $1 returning event_sequence", contactId, utc(now))
                .map(rows -> ((Number) rows.get(0)[0]).longValue());
    }

    /** Stores an open confirmation: the token's hash only. Does not flush the session first. */
    public Uni<Void> addConfirmation(String tokenHash, UUID contactId, String source, Instant createdAt,
            Instant expiresAt) {
        return SessionSql.executeWithoutFlush(s -> s.createNativeQuery("insert into consent_confirmation (token_hash, "
                + "contact_id, source, created_at, expires_at) values (?1, ?2, ?3, ?4, ?5)")
                .setParameter(1, tokenHash).setParameter(2, contactId).setParameter(3, source)
                .setParameter(4, createdAt).setParameter(5, expiresAt)).replaceWithVoid();
    }

    /** A confirmation as it was stored, taken out by its token. */
    public record Confirmation(UUID contactId, String source, Instant expiresAt) {
    }

    /** Deletes the confirmation with this token hash and answers it; null when there is none. */
    public Uni<Confirmation> takeConfirmation(String tokenHash) {
        return SessionSql.select("delete from consent_confirmation where token_hash = $1 "
                + "returning contact_id, source, expires_at", tokenHash)
                .map(rows -> rows.isEmpty() ? null
                        : new Confirmation((UUID) rows.get(0)[0], (String) rows.get(0)[1], instant(rows.get(0)[2])));
    }

    /** Every open confirmation of the contact is used up. */
    public Uni<Void> deleteConfirmations(UUID contactId) {
        return Panache.getSession().chain(s -> s.createNativeQuery(
                "delete from consent_confirmation where contact_id = ?1")
                .setParameter(1, contactId).executeUpdate()).replaceWithVoid();
    }

    // ---- the import's bulk statements, on its JDBC connection and in its chunk's transaction

    /**
     * The contacts holding these e-mails, detached and locked; an e-mail of a merged duplicate stands for its
     * (active) survivor. Keyed by e-mail: a survivor appears under its own e-mail and its duplicates'.
     */
    public Map<String, Contact> lockByEmail(Connection c, List<String> emails) throws SQLException {
        Map<String, Contact> byEmail = new HashMap<>();
        if (emails.isEmpty()) {
            return byEmail;
        }
        Map<UUID, List<String>> survivors = new HashMap<>();
        try (PreparedStatement s = c.prepareStatement("select id, email, first_name, last_name, phone, company, "
                + "job_title, industry, country, consent_marketing, event_sequence, created_at, status, merged_into "
                + "from contact where email = any(?) for update")) {
            s.setArray(1, c.createArrayOf("text", emails.toArray()));
            try (ResultSet rs = s.executeQuery()) {
                while (rs.next()) {
                    if (rs.getString(13).equals("MERGED")) {
                        survivors.computeIfAbsent(rs.getObject(14, UUID.class), k -> new ArrayList<>())
                                .add(rs.getString(2));
                    } else {
                        Contact contact = imported(rs);
                        byEmail.put(contact.email, contact);
                    }
                }
            }
        }
        if (!survivors.isEmpty()) {
            try (PreparedStatement s = c.prepareStatement("select id, email, first_name, last_name, phone, company, "
                    + "job_title, industry, country, consent_marketing, event_sequence, created_at, status "
                    + "from contact where id = any(?) and status = 'ACTIVE' for update")) {
                s.setArray(1, c.createArrayOf("uuid", survivors.keySet().toArray()));
                try (ResultSet rs = s.executeQuery()) {
                    while (rs.next()) {
                        Contact survivor = byEmail.get(rs.getString(2));
                        if (survivor == null) {
                            survivor = imported(rs);
                            byEmail.put(survivor.email, survivor);
                        }
                        for (String alias : survivors.get(survivor.id)) {
                            byEmail.put(alias, survivor);
                        }
                    }
                }
            }
        }
        return byEmail;
    }

    /** The columns the import reads and writes (not consent, which an import row does not carry). */
    private static Contact imported(ResultSet rs) throws SQLException {
        Contact c = new Contact();
        c.id = rs.getObject(1, UUID.class);
        c.email = rs.getString(2);
        c.firstName = rs.getString(3);
        c.lastName = rs.getString(4);
        c.phone = rs.getString(5);
        c.company = rs.getString(6);
        c.jobTitle = rs.getString(7);
        c.industry = rs.getString(8);
        c.country = rs.getString(9);
        c.consentMarketing = rs.getBoolean(10);
        c.eventSequence = rs.getLong(11);
        c.createdAt = rs.getObject(12, OffsetDateTime.class).toInstant();
        return c;
    }

    /**
     * The rows an import writes, as a table with one array parameter a column (unnest of arrays: a round trip per
     * chunk, not per row); {@link #bindImported} binds them.
     */
    private static final String IMPORTED_ROWS = "unnest(cast(? as uuid[]), cast(? as text[]), cast(? as text[]), "
            + "cast(? as text[]), cast(? as text[]), cast(? as text[]), cast(? as text[]), cast(? as text[]), "
            + "cast(? as text[]), cast(? as bigint[])) as u(id, email, fn, ln, ph, co, jt, ind, ctry, seq)";

    /** The text columns of {@link #IMPORTED_ROWS}, in order. */
    private static final List<Function<Contact, String>> IMPORTED_TEXTS = List.of(x -> x.email, x -> x.firstName,
            x -> x.lastName, x -> x.phone, x -> x.company, x -> x.jobTitle, x -> x.industry, x -> x.country);

    /**
     * Inserts new contacts (no consent, version 0) in one statement. Fails when another transaction created one of
     * the e-mails meanwhile: the caller rolls back and redoes the chunk, which then finds it.
     */
    public void insertImported(Connection c, List<Contact> fresh, Instant now) throws SQLException {
        if (fresh.isEmpty()) {
            return;
        }
        try (PreparedStatement s = c.prepareStatement("insert into contact (id, email, first_name, last_name, "
                + "phone, company, job_title, industry, country, consent_marketing, event_sequence, created_at, "
                + "updated_at, version) select u.id, u.email, u.fn, u.ln, u.ph, u.co, u.jt, u.ind, u.ctry, false, "
                + "u.seq, ?, ?, 0 from " + IMPORTED_ROWS + " on conflict (email) do nothing")) {
            s.setObject(1, utc(now));
            s.setObject(2, utc(now));
            bindImported(s, c, fresh, 3);
            if (s.executeUpdate() != fresh.size()) {
                throw new IllegalStateException("contact created concurrently");
            }
        }
    }

    /** Writes the demographic fields and event sequence of changed contacts in one statement; version + 1. */
    public void updateImported(Connection c, List<Contact> changed, Instant now) throws SQLException {
        if (changed.isEmpty()) {
            return;
        }
        try (PreparedStatement s = c.prepareStatement("update contact set first_name = u.fn, last_name = u.ln, "
                + "phone = u.ph, company = u.co, job_title = u.jt, industry = u.ind, country = u.ctry, "
                + "event_sequence = u.seq, updated_at = ?, version = version + 1 from " + IMPORTED_ROWS
                + " where contact.id = u.id")) {
            s.setObject(1, utc(now));
            bindImported(s, c, changed, 2);
            s.executeUpdate();
        }
    }

    /** Binds the contacts as the columns of {@link #IMPORTED_ROWS}, from parameter {@code from} on. */
    private static void bindImported(PreparedStatement s, Connection c, List<Contact> contacts, int from)
            throws SQLException {
        s.setArray(from++, c.createArrayOf("uuid", contacts.stream().map(x -> x.id).toArray()));
        for (Function<Contact, String> field : IMPORTED_TEXTS) {
            s.setArray(from++, c.createArrayOf("text", contacts.stream().map(field).toArray()));
        }
        s.setArray(from, c.createArrayOf("bigint", contacts.stream().map(x -> x.eventSequence).toArray()));
    }

    /** A detached contact (not in the session) from {@link #COLUMNS} starting at {@code from}. */
    static Contact row(Object[] r, int from) {
        Contact c = new Contact();
        c.id = (UUID) r[from];
        c.email = (String) r[from + 1];
        c.firstName = (String) r[from + 2];
        c.lastName = (String) r[from + 3];
        c.phone = (String) r[from + 4];
        c.company = (String) r[from + 5];
        c.jobTitle = (String) r[from + 6];
        c.industry = (String) r[from + 7];
        c.country = (String) r[from + 8];
        c.consentMarketing = (Boolean) r[from + 9];
        c.consentAt = instant(r[from + 10]);
        c.consentSource = (String) r[from + 11];
        c.status = Contact.Status.valueOf((String) r[from + 12]);
        c.mergedInto = (UUID) r[from + 13];
        c.mergedAt = instant(r[from + 14]);
        c.erasedAt = instant(r[from + 15]);
        c.eventSequence = ((Number) r[from + 16]).longValue();
        c.createdAt = instant(r[from + 17]);
        c.updatedAt = instant(r[from + 18]);
        c.version = ((Number) r[from + 19]).longValue();
        return c;
    }

    /** A {@code timestamptz} as the reactive client decodes it. */
    private static Instant instant(Object value) {
        return value == null ? null : ((OffsetDateTime) value).toInstant();
    }

    /** How the reactive client binds a {@code timestamptz}. */
    private static OffsetDateTime utc(Instant instant) {
        return instant.atOffset(ZoneOffset.UTC);
    }
}
