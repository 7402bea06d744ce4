package io.leadsuite.contact.service;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.FlushModeType;

import org.jboss.logging.Logger;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.leadsuite.contact.domain.Contact;
import io.leadsuite.contact.domain.Normaliser;
import io.leadsuite.contact.event.ContactEvents;
import io.leadsuite.kit.problem.Problem;
import io.leadsuite.kit.problem.ProblemException;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.quarkus.hibernate.reactive.panache.common.WithSession;
import io.quarkus.hibernate.reactive.panache.common.WithTransaction;
import io.smallrye.mutiny.Uni;

/**
 * Creates, finds, matches, updates, merges and erases contacts; every change publishes its event through the outbox
 * in the same transaction. Nothing here logs personal data.
 */
@ApplicationScoped
public class ContactService {

    /** Fields a merge patch may set, in the order {@code changed} lists them. */
    static final List<String> PATCHABLE = List.of("email", "firstName", "lastName", "phone", "company", "jobTitle",
            "industry", "country", "consent");
    static final Set<String> READ_ONLY = Set.of("id", "createdAt", "updatedAt", "version", "status", "mergedInto",
            "mergedAt", "attributes");
    public static final int MAX_LIMIT = 200;

    private static final Logger LOG = Logger.getLogger(ContactService.class);

    private final ContactEvents events;
    private final ContactValidator validator;

    public ContactService(ContactEvents events, ContactValidator validator) {
        this.events = events;
        this.validator = validator;
    }

    /** The result of match-or-create. */
    public record Match(Contact contact, boolean created) {
    }

    /** A page of contacts and the cursor of the next one (null at the end). */
    public record Page(List<Contact> items, String next) {
    }

    /** One marketing-consent change: given or withdrawn, when, where. */
    public record ConsentChange(boolean marketing, Instant at, String source) {
    }

    /**
     * Columns of a contact as {@link #MATCH_OR_CREATE} answers them, in the order {@link #row} reads them and
     * {@link Contact#MATCH_MAPPING} maps them.
     */
    private static final String COLUMNS = "id, email, first_name, last_name, phone, company, job_title, industry, "
            + "country, consent_marketing, consent_at, consent_source, status, merged_into, merged_at, erased_at, "
            + "event_sequence, created_at, updated_at, version";

    /**
     * Match-or-create in one statement. {@code ins} inserts the contact unless the e-mail is taken (a new contact
     * starts at version 1 with event sequence 1: its {@code contact.created} is event 1); {@code consent} records the
     * consent of a contact it created; the answer is the inserted row ({@code created} true) or else the row holding
     * the e-mail, or the survivor it was merged into. When a concurrent transaction committed the e-mail after this
     * statement's snapshot was taken, the insert does nothing and the select does not see that row either: no row;
     * the caller runs the statement again (a new snapshot).
     * <p>
     * {@code ?14} is the e-mail again, bound as a one-element list on purpose: Hibernate (ORM 7.1) keys its cache of
     * native select plans by the result mapping, whose key never equals the next call's for this query, so every call
     * added an entry with the same hash and every lookup compared the statement with up to the cache's size of them
     * (a quarter of the service's CPU under load, by JFR). A query with a list parameter is never cached, which is
     * the planning a miss did anyway, without the scan and the evictions.
     */
    static final String MATCH_OR_CREATE = "with ins as (insert into contact (id, email, first_name, last_name, phone, "
            + "company, job_title, industry, country, consent_marketing, consent_at, consent_source, status, "
            + "event_sequence, created_at, updated_at, version) "
            + "values (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, 'ACTIVE', 1, ?13, ?13, 1) "
            + "on conflict (email) do nothing returning " + COLUMNS + "), "
            + "consent as (insert into consent_change (contact_id, marketing, at, source) "
            + "select id, true, consent_at, consent_source from ins where consent_marketing) "
            + "select true as created, " + COLUMNS + " from ins "
            + "union all select false, " + COLUMNS + " from contact where id = (select case when c.status = 'MERGED' "
            + "and c.merged_into is not null then c.merged_into else c.id end from contact c where c.email in (?14)) "
            + "and not exists (select 1 from ins)";
    /** Runs of {@link #MATCH_OR_CREATE} before giving up (503); in the race tests a lost race settled on the 2nd run. */
    static final int MATCH_ATTEMPTS = 5;

    /**
     * Finds the contact by normalised e-mail or creates it; an existing contact is not changed. Atomic: concurrent
     * calls with one e-mail make exactly one contact ({@code insert ... on conflict do nothing} on the unique e-mail),
     * and only the creating call publishes {@code contact.created}. An e-mail that belonged to a merged duplicate
     * finds the survivor. One statement (plus the outbox row when created), and nothing is loaded into the session:
     * the answer is a detached {@link Contact} read from the statement's row, so the commit has nothing to flush.
     */
    @WithTransaction
    public Uni<Match> matchOrCreate(ContactDetails raw) {
        ContactDetails details = validator.normalise(raw);
        Instant now = Instant.now().truncatedTo(ChronoUnit.MICROS);
        UUID id = UUID.randomUUID();
        boolean consent = Boolean.TRUE.equals(details.consent());
        return matchOrCreate(details, id, consent, now, 1).chain(match -> match.created()
                ? events.publishCreatedAsStored(match.contact()).replaceWith(match)
                : followMerges(match.contact()).map(c -> c == match.contact() ? match : new Match(c, false)));
    }

    private Uni<Match> matchOrCreate(ContactDetails details, UUID id, boolean consent, Instant now, int attempt) {
        return Panache.getSession().chain(session -> {
            var query = session
                    .createNativeQuery(MATCH_OR_CREATE, session.getResultSetMapping(Object[].class,
                            Contact.MATCH_MAPPING))
                    .setFlushMode(FlushModeType.COMMIT)
                    .setParameter(1, id)
                    .setParameter(2, details.email())
                    .setParameter(3, details.firstName())
                    .setParameter(4, details.lastName())
                    .setParameter(5, details.phone())
                    .setParameter(6, details.company())
                    .setParameter(7, details.jobTitle())
                    .setParameter(8, details.industry())
                    .setParameter(9, details.country())
                    .setParameter(10, consent)
                    .setParameter(11, consent ? now : null)
                    .setParameter(12, consent ? details.consentSource() : null)
                    .setParameter(13, now)
                    .setParameter(14, List.of(details.email()));
            return query.getResultList();
        }).chain(rows -> {
            if (!rows.isEmpty()) {
                Object[] r = rows.get(0);
                return Uni.createFrom().item(new Match(row(r, 1), (Boolean) r[0]));
            }
            // lost a race with a transaction that committed the e-mail after this statement began: look again
            LOG.debugf("match-or-create: no row on attempt %d (a concurrent insert of the e-mail), again", attempt);
            if (attempt >= MATCH_ATTEMPTS) {
                return Uni.createFrom().failure(ProblemException.unavailable(
                        "The contact could not be matched or created; retry"));
            }
            return matchOrCreate(details, id, consent, now, attempt + 1);
        });
    }

    /** A detached contact (not in the session) from {@link #COLUMNS} starting at {@code from}. */
    static Contact row(Object[] r, int from) {
        Contact c = new Contact();
        c.id = uuid(r[from]);
        c.email = (String) r[from + 1];
        c.firstName = (String) r[from + 2];
        c.lastName = (String) r[from + 3];
        c.phone = (String) r[from + 4];
        c.company = (String) r[from + 5];
        c.jobTitle = (String) r[from + 6];
        c.industry = (String) r[from + 7];
        c.country = (String) r[from + 8];
        c.consentMarketing = (Boolean) r[from + 9];
        c.consentAt = toInstant(r[from + 10]);
        c.consentSource = (String) r[from + 11];
        c.status = Contact.Status.valueOf((String) r[from + 12]);
        c.mergedInto = uuid(r[from + 13]);
        c.mergedAt = toInstant(r[from + 14]);
        c.erasedAt = toInstant(r[from + 15]);
        c.eventSequence = ((Number) r[from + 16]).longValue();
        c.createdAt = toInstant(r[from + 17]);
        c.updatedAt = toInstant(r[from + 18]);
        c.version = ((Number) r[from + 19]).longValue();
        return c;
    }

    private static UUID uuid(Object value) {
        return value == null || value instanceof UUID ? (UUID) value : UUID.fromString(value.toString());
    }

    /** Creates a contact; 409 naming the existing contact when the e-mail is taken. */
    @WithTransaction
    public Uni<Contact> create(ContactDetails raw) {
        return matchOrCreate(raw).chain(match -> match.created()
                ? Uni.createFrom().item(match.contact())
                : Uni.createFrom().failure(taken(match.contact())));
    }

    private static ProblemException taken(Contact existing) {
        UUID existingId = existing.status == Contact.Status.MERGED ? existing.mergedInto : existing.id;
        return ProblemException.conflict("A contact with this e-mail already exists: " + existingId)
                .with("existingId", existingId);
    }

    /** The contact in any state (active, merged, erased); 404 when there never was one. */
    @WithSession
    public Uni<Contact> get(UUID id) {
        return Contact.<Contact> findById(id)
                .onItem().ifNull().failWith(() -> ProblemException.notFound("Contact", id));
    }

    @WithSession
    public Uni<Contact> findByEmail(String rawEmail) {
        String email = Normaliser.email(rawEmail).orElseThrow(() -> ProblemException.unprocessable(
                "The e-mail address is malformed",
                List.of(new Problem.FieldError("email", "must be a valid e-mail address"))));
        return Contact.findByEmail(email).chain(this::followMerges);
    }

    private Uni<Contact> followMerges(Contact contact) {
        if (contact == null || contact.status != Contact.Status.MERGED || contact.mergedInto == null) {
            return Uni.createFrom().item(contact);
        }
        return Contact.<Contact> findById(contact.mergedInto).chain(this::followMerges);
    }

    /**
     * Active contacts, oldest first by (createdAt, id), filtered by free text (e-mail, names, company; contains,
     * case-insensitive), exact e-mail and company (case-insensitive). The cursor is the position after the last item
     * returned, so contacts created meanwhile appear on later pages and none is skipped or repeated.
     */
    @WithSession
    public Uni<Page> search(String q, String email, String company, int limit, String after) {
        if (limit < 1 || limit > MAX_LIMIT) {
            throw ProblemException.unprocessable("limit must be between 1 and " + MAX_LIMIT,
                    List.of(new Problem.FieldError("limit", "must be between 1 and " + MAX_LIMIT)));
        }
        StringBuilder sql = new StringBuilder("select * from contact where status = 'ACTIVE'");
        Map<Integer, Object> params = new LinkedHashMap<>();
        String text = Normaliser.text(q);
        if (text != null) {
            params.put(params.size() + 1, "%" + likeEscape(text.toLowerCase(java.util.Locale.ROOT)) + "%");
            int p = params.size();
            sql.append(" and (email like ?").append(p).append(" escape '\\' or lower(first_name) like ?").append(p)
                    .append(" escape '\\' or lower(last_name) like ?").append(p)
                    .append(" escape '\\' or lower(coalesce(first_name, '') || ' ' || coalesce(last_name, '')) like ?")
                    .append(p).append(" escape '\\' or lower(company) like ?").append(p).append(" escape '\\')");
        }
        if (email != null) {
            String normalised = Normaliser.email(email).orElseThrow(() -> ProblemException.unprocessable(
                    "The e-mail address is malformed",
                    List.of(new Problem.FieldError("email", "must be a valid e-mail address"))));
            params.put(params.size() + 1, normalised);
            sql.append(" and email = ?").append(params.size());
        }
        if (Normaliser.text(company) != null) {
            params.put(params.size() + 1, company.strip());
            sql.append(" and lower(company) = lower(?").append(params.size()).append(")");
        }
        if (after != null) {
            Cursor cursor = Cursor.decode(after);
            params.put(params.size() + 1, cursor.createdAt());
            int c = params.size();
            params.put(params.size() + 1, cursor.id());
            sql.append(" and (created_at, id) > (?").append(c).append(", ?").append(params.size()).append(")");
        }
        params.put(params.size() + 1, limit + 1);
        sql.append(" order by created_at, id limit ?").append(params.size());
        return Panache.getSession().chain(session -> {
            var query = session.createNativeQuery(sql.toString(), Contact.class);
            params.forEach(query::setParameter);
            return query.getResultList();
        }).map(rows -> {
            boolean more = rows.size() > limit;
            List<Contact> items = more ? rows.subList(0, limit) : rows;
            String next = more ? new Cursor(items.get(items.size() - 1).createdAt, items.get(items.size() - 1).id)
                    .encode() : null;
            return new Page(List.copyOf(items), next);
        });
    }

    private static String likeEscape(String text) {
        return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_");
    }

    /** Opaque keyset cursor: the (createdAt, id) of the last contact of a page. */
    record Cursor(Instant createdAt, UUID id) {
        String encode() {
            long micros = ChronoUnit.MICROS.between(Instant.EPOCH, createdAt);
            return Base64.getUrlEncoder().withoutPadding()
                    .encodeToString(("c1:" + micros + ":" + id).getBytes(StandardCharsets.UTF_8));
        }

        static Cursor decode(String raw) {
            try {
                String[] parts = new String(Base64.getUrlDecoder().decode(raw), StandardCharsets.UTF_8).split(":");
                if (parts.length != 3 || !parts[0].equals("c1")) {
                    throw new IllegalArgumentException();
                }
                return new Cursor(Instant.EPOCH.plus(Long.parseLong(parts[1]), ChronoUnit.MICROS),
                        UUID.fromString(parts[2]));
            } catch (RuntimeException e) {
                throw ProblemException.unprocessable("The cursor is not one this service issued",
                        List.of(new Problem.FieldError("after", "not a valid cursor")));
            }
        }
    }

    /**
     * Applies a JSON merge patch (RFC 7396). {@code expectedVersion} (from {@code If-Match}) must equal the contact's
     * version, else 412; null skips the check. Publishes {@code contact.updated} with the fields that changed; a patch
     * that changes nothing changes neither version nor events.
     */
    @WithTransaction
    public Uni<Contact> patch(UUID id, ObjectNode patch, Long expectedVersion) {
        // optimistic: a concurrent change of the same version fails this one at flush (409, read again and retry)
        return Contact.<Contact> findById(id)
                .onItem().ifNull().failWith(() -> ProblemException.notFound("Contact", id))
                .chain(contact -> {
                    requireActive(contact);
                    if (expectedVersion != null && expectedVersion != contact.version) {
                        throw new ProblemException(412, "precondition-failed", "Precondition failed",
                                "The contact changed since version " + expectedVersion + "; it is now at version "
                                        + contact.version,
                                null).with("currentVersion", contact.version);
                    }
                    return applyPatch(contact, patch);
                });
    }

    private Uni<Contact> applyPatch(Contact contact, ObjectNode patch) {
        List<Problem.FieldError> errors = new ArrayList<>();
        Map<String, String> text = new LinkedHashMap<>();
        text.put("email", contact.email);
        text.put("firstName", contact.firstName);
        text.put("lastName", contact.lastName);
        text.put("phone", contact.phone);
        text.put("company", contact.company);
        text.put("jobTitle", contact.jobTitle);
        text.put("industry", contact.industry);
        text.put("country", contact.country);
        Boolean consent = null;
        String consentSource = null;
        Instant consentAt = null;
        for (Iterator<Map.Entry<String, JsonNode>> it = patch.fields(); it.hasNext();) {
            Map.Entry<String, JsonNode> entry = it.next();
            String field = entry.getKey();
            JsonNode value = entry.getValue();
            if (text.containsKey(field)) {
                if (value.isNull()) {
                    if (field.equals("email")) {
                        errors.add(new Problem.FieldError("email", "cannot be removed"));
                    }
                    text.put(field, null);
                } else if (!value.isTextual()) {
                    errors.add(new Problem.FieldError(field, "must be a string or null"));
                } else {
                    text.put(field, value.textValue());
                }
            } else if (field.equals("consent")) {
                if (!value.isObject() || !value.path("marketing").isBoolean()) {
                    errors.add(new Problem.FieldError("consent.marketing", "must be true or false"));
                    continue;
                }
                consent = value.get("marketing").booleanValue();
                JsonNode source = value.path("source");
                if (!source.isMissingNode() && !source.isNull() && !source.isTextual()) {
                    errors.add(new Problem.FieldError("consent.source", "must be a string"));
                } else {
                    consentSource = source.isTextual() ? source.textValue() : null;
                }
                JsonNode at = value.path("at");
                if (at.isTextual()) {
                    try {
                        consentAt = Instant.parse(at.textValue());
                    } catch (RuntimeException e) {
                        errors.add(new Problem.FieldError("consent.at", "must be an ISO-8601 instant"));
                    }
                } else if (!at.isMissingNode() && !at.isNull()) {
                    errors.add(new Problem.FieldError("consent.at", "must be an ISO-8601 instant"));
                }
                if (consentAt != null && consentAt.isAfter(Instant.now().plusSeconds(60))) {
                    errors.add(new Problem.FieldError("consent.at", "must not be in the future"));
                }
            } else if (READ_ONLY.contains(field)) {
                errors.add(new Problem.FieldError(field, "cannot be changed"));
            } else {
                errors.add(new Problem.FieldError(field, "unknown field"));
            }
        }
        // a phone number already in E.164 stays as it is; a new national one is read in the (new) country
        ContactValidator.Result checked = validator.check(new ContactDetails(text.get("email"),
                text.get("firstName"), text.get("lastName"), text.get("phone"), text.get("company"),
                text.get("jobTitle"), text.get("industry"), text.get("country"), consent, consentSource));
        if (errors.isEmpty() && checked.valid()) {
            return apply(contact, checked.details(), consent, consentAt);
        }
        List<Problem.FieldError> all = new ArrayList<>(errors);
        checked.errors().stream().filter(e -> all.stream().noneMatch(x -> x.field().equals(e.field())))
                .forEach(all::add);
        return Uni.createFrom().failure(ProblemException.unprocessable("One or more fields are invalid", all));
    }

    private Uni<Contact> apply(Contact c, ContactDetails d, Boolean consent, Instant consentAt) {
        Instant now = Instant.now();
        List<String> changed = new ArrayList<>();
        boolean emailChanged = !Objects.equals(c.email, d.email());
        if (emailChanged) {
            changed.add("email");
        }
        c.firstName = track("firstName", c.firstName, d.firstName(), changed);
        c.lastName = track("lastName", c.lastName, d.lastName(), changed);
        c.phone = track("phone", c.phone, d.phone(), changed);
        c.company = track("company", c.company, d.company(), changed);
        c.jobTitle = track("jobTitle", c.jobTitle, d.jobTitle(), changed);
        c.industry = track("industry", c.industry, d.industry(), changed);
        c.country = track("country", c.country, d.country(), changed);
        boolean consentChanged = consent != null && consent != c.consentMarketing;
        if (consentChanged) {
            c.consentMarketing = consent;
            c.consentAt = consentAt != null ? consentAt : now;
            c.consentSource = d.consentSource();
            changed.add("consent");
        }
        if (changed.isEmpty()) {
            return Uni.createFrom().item(c);
        }
        Uni<Void> emailFree = emailChanged
                ? Contact.findByEmail(d.email()).map(other -> {
                    if (other != null) {
                        throw taken(other);
                    }
                    return null;
                })
                : Uni.createFrom().voidItem();
        return emailFree.chain(() -> {
            c.email = d.email();
            c.updatedAt = now;
            Uni<Void> history = consentChanged ? recordConsent(c.id, c.consentMarketing, c.consentAt, c.consentSource)
                    : Uni.createFrom().voidItem();
            return history.chain(() -> events.publishUpdated(c, sortChanged(changed), now))
                    .chain(() -> Panache.getSession().chain(s -> s.flush()))
                    .onFailure(ContactService::uniqueViolation)
                    .transform(e -> ProblemException.conflict("Another contact took this e-mail meanwhile"))
                    .onFailure(ContactService::concurrentUpdate)
                    .transform(e -> ProblemException.conflict("The contact was changed by another request at the "
                            + "same time; read it again and retry"))
                    .replaceWith(c);
        });
    }

    /** A unique-key violation (its database message names the value, so it must not reach a log). */
    static boolean uniqueViolation(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof org.hibernate.exception.ConstraintViolationException
                    || (t.getMessage() != null && t.getMessage().contains("23505"))) {
                return true;
            }
        }
        return false;
    }

    /** The version checked at flush no longer matched: another update committed first. */
    static boolean concurrentUpdate(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof jakarta.persistence.OptimisticLockException
                    || t instanceof org.hibernate.StaleStateException) {
                return true;
            }
        }
        return false;
    }

    private static List<String> sortChanged(List<String> changed) {
        return PATCHABLE.stream().filter(changed::contains).toList();
    }

    private static String track(String field, String before, String after, List<String> changed) {
        if (!Objects.equals(before, after)) {
            changed.add(field);
        }
        return after;
    }

    private static void requireActive(Contact contact) {
        if (contact.status == Contact.Status.MERGED) {
            throw ProblemException.conflict("Contact " + contact.id + " was merged into " + contact.mergedInto)
                    .with("mergedInto", contact.mergedInto);
        }
        if (contact.status == Contact.Status.ERASED) {
            throw gone(contact);
        }
    }

    public static ProblemException gone(Contact contact) {
        return new ProblemException(410, "erased", "Contact erased",
                "Contact " + contact.id + " was erased on request; no personal data is kept", null)
                .with("erasedAt", contact.erasedAt);
    }

    Uni<Void> recordConsent(UUID contactId, boolean marketing, Instant at, String source) {
        return Panache.getSession().chain(s -> s.createNativeQuery(
                "insert into consent_change (contact_id, marketing, at, source) values (?1, ?2, ?3, ?4)")
                .setParameter(1, contactId).setParameter(2, marketing).setParameter(3, at).setParameter(4, source)
                .executeUpdate()).replaceWithVoid();
    }

    /** Every consent given or withdrawn for the contact (and for duplicates merged into it), in the order recorded. */
    @WithSession
    public Uni<List<ConsentChange>> consentHistory(UUID id) {
        return get(id).chain(contact -> {
            requireActive(contact);
            return Panache.getSession().chain(s -> s.createNativeQuery(
                    "select marketing, at, source from consent_change where contact_id = ?1 order by id",
                    Object[].class).setParameter(1, id).getResultList());
        }).map(rows -> rows.stream().map(r -> new ConsentChange((Boolean) r[0], toInstant(r[1]), (String) r[2]))
                .toList());
    }

    static Instant toInstant(Object value) {
        if (value instanceof Instant i) {
            return i;
        }
        if (value instanceof java.time.OffsetDateTime o) {
            return o.toInstant();
        }
        if (value instanceof java.sql.Timestamp t) {
            return t.toInstant();
        }
        if (value instanceof java.time.LocalDateTime l) {
            return l.toInstant(java.time.ZoneOffset.UTC);
        }
        return value == null ? null : Instant.parse(value.toString());
    }
}
