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
import jakarta.inject.Inject;

import org.jboss.logging.Logger;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.leadsuite.contact.config.ContactConfig;
import io.leadsuite.contact.domain.Contact;
import io.leadsuite.contact.domain.ContactDetails;
import io.leadsuite.contact.domain.Normaliser;
import io.leadsuite.contact.event.ContactEvents;
import io.leadsuite.contact.repository.ContactRepository;
import io.leadsuite.kit.consumer.GroupCommit;
import io.leadsuite.kit.domain.DomainException;
import io.leadsuite.kit.domain.Erased;
import io.leadsuite.kit.domain.InvalidValues;
import io.leadsuite.kit.domain.NotFound;
import io.leadsuite.kit.domain.RetryLater;
import io.leadsuite.kit.domain.StaleVersion;
import io.leadsuite.kit.domain.StateConflict;
import io.leadsuite.kit.domain.Violation;
import io.leadsuite.kit.sql.UniqueViolation;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.quarkus.hibernate.reactive.panache.common.WithSession;
import io.quarkus.hibernate.reactive.panache.common.WithTransaction;
import io.smallrye.mutiny.Uni;
import io.vertx.core.Vertx;

/**
 * Creates, finds, matches, updates and reads contacts; every change publishes its event through the outbox in the same
 * transaction. Nothing here logs personal data.
 */
@ApplicationScoped
public class ContactService {

    static final Set<String> READ_ONLY = Set.of("id", "createdAt", "updatedAt", "version", "status", "mergedInto",
            "mergedAt", "attributes");
    public static final int MAX_LIMIT = 200;

    private static final Logger LOG = Logger.getLogger(ContactService.class);

    @Inject
    ContactRepository contacts;
    @Inject
    ContactEvents events;
    @Inject
    ContactValidator validator;

    /** Match-or-create calls that arrive together, applied in one transaction. */
    private final GroupCommit<ContactDetails, Match> matching;

    ContactService(ContactConfig config, Vertx vertx) {
        matching = GroupCommit.oneAfterAnother("Contact matching", vertx, config.matching().maxBatch(),
                config.matching().lanes(), this::match);
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

    /** Runs of match-or-create before giving up (503); in the race tests a lost race settled on the 2nd run. */
    static final int MATCH_ATTEMPTS = 5;

    /**
     * Finds the contact by normalised e-mail or creates it; an existing contact is not changed. Atomic: concurrent
     * calls with one e-mail make exactly one contact ({@code insert ... on conflict do nothing} on the unique e-mail),
     * and only the creating call publishes {@code contact.created}. An e-mail that belonged to a merged duplicate
     * finds the survivor. One statement (plus the outbox row when created), and nothing is loaded into the session:
     * the answer is a detached {@link Contact} read from the statement's row, so the commit has nothing to flush.
     * <p>
     * Calls that arrive while others are applied go together in one transaction, one after another as if alone (the
     * kit's {@link GroupCommit}): captures arrive concurrently, and each would otherwise pay a BEGIN, a COMMIT and a
     * pooled connection for its one statement. A batch that fails is applied again one call per transaction.
     */
    public Uni<Match> matchOrCreate(ContactDetails raw) {
        return matching.submit(raw);
    }

    /** {@link #matchOrCreate} in the caller's transaction. */
    Uni<Match> match(ContactDetails raw) {
        ContactDetails details = validator.normalise(raw);
        Instant now = Instant.now().truncatedTo(ChronoUnit.MICROS);
        UUID id = UUID.randomUUID();
        boolean consent = Boolean.TRUE.equals(details.consent());
        return match(details, id, consent, now, 1).chain(match -> match.created()
                ? events.publishCreatedAsStored(match.contact()).replaceWith(match)
                : followMerges(match.contact()).map(c -> c == match.contact() ? match : new Match(c, false)));
    }

    private Uni<Match> match(ContactDetails details, UUID id, boolean consent, Instant now, int attempt) {
        return contacts.matchOrCreate(details, id, consent, now).chain(matched -> {
            if (matched != null) {
                return Uni.createFrom().item(new Match(matched.contact(), matched.created()));
            }
            // lost a race with a transaction that committed the e-mail after this statement began: look again
            LOG.debugf("match-or-create: no row on attempt %d (a concurrent insert of the e-mail), again", attempt);
            if (attempt >= MATCH_ATTEMPTS) {
                return Uni.createFrom().failure(new RetryLater(
                        "The contact could not be matched or created; retry"));
            }
            return match(details, id, consent, now, attempt + 1);
        });
    }

    /**
     * Creates a contact; 409 naming the existing contact when the e-mail is taken. Runs in the caller's transaction:
     * the idempotent request's, which also remembers the answer (see the package's transaction rule).
     */
    public Uni<Contact> create(ContactDetails raw) {
        return match(raw).chain(match -> match.created()
                ? Uni.createFrom().item(match.contact())
                : Uni.createFrom().failure(taken(match.contact())));
    }

    private static DomainException taken(Contact existing) {
        UUID existingId = existing.status == Contact.Status.MERGED ? existing.mergedInto : existing.id;
        return new StateConflict("A contact with this e-mail already exists: " + existingId)
                .with("existingId", existingId);
    }

    /** The contact in any state (active, merged, erased); 404 when there never was one. */
    @WithSession
    public Uni<Contact> get(UUID id) {
        return found(id);
    }

    private Uni<Contact> found(UUID id) {
        return contacts.find(id).onItem().ifNull().failWith(() -> new NotFound("Contact", id));
    }

    private Uni<Contact> followMerges(Contact contact) {
        if (contact == null || contact.status != Contact.Status.MERGED || contact.mergedInto == null) {
            return Uni.createFrom().item(contact);
        }
        return contacts.find(contact.mergedInto).chain(this::followMerges);
    }

    /**
     * Active contacts, oldest first by (createdAt, id), filtered by free text (e-mail, names, company; contains,
     * case-insensitive), exact e-mail and company (case-insensitive). The cursor is the position after the last item
     * returned, so contacts created meanwhile appear on later pages and none is skipped or repeated.
     */
    @WithSession
    public Uni<Page> search(String q, String email, String company, int limit, String after) {
        if (limit < 1 || limit > MAX_LIMIT) {
            throw new InvalidValues("limit must be between 1 and " + MAX_LIMIT,
                    List.of(new Violation("limit", "must be between 1 and " + MAX_LIMIT)));
        }
        String text = Normaliser.text(q);
        String like = text == null ? null : "%" + likeEscape(text.toLowerCase(java.util.Locale.ROOT)) + "%";
        String normalised = email == null ? null
                : Normaliser.email(email).orElseThrow(() -> new InvalidValues(
                        "The e-mail address is malformed",
                        List.of(new Violation("email", "must be a valid e-mail address"))));
        Cursor cursor = after == null ? null : Cursor.decode(after);
        return contacts.search(like, normalised, Normaliser.text(company) == null ? null : company.strip(),
                cursor == null ? null : cursor.createdAt(), cursor == null ? null : cursor.id(), limit + 1)
                .map(rows -> {
                    boolean more = rows.size() > limit;
                    List<Contact> items = more ? rows.subList(0, limit) : rows;
                    String next = more ? new Cursor(items.get(items.size() - 1).createdAt,
                            items.get(items.size() - 1).id).encode() : null;
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
                throw new InvalidValues("The cursor is not one this service issued",
                        List.of(new Violation("after", "not a valid cursor")));
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
        return found(id).chain(contact -> {
            requireActive(contact);
            if (expectedVersion != null && expectedVersion != contact.version) {
                throw new StaleVersion("The contact", expectedVersion, contact.version);
            }
            return applyPatch(contact, patch);
        });
    }

    private Uni<Contact> applyPatch(Contact contact, ObjectNode patch) {
        List<Violation> errors = new ArrayList<>();
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
                        errors.add(new Violation("email", "cannot be removed"));
                    }
                    text.put(field, null);
                } else if (!value.isTextual()) {
                    errors.add(new Violation(field, "must be a string or null"));
                } else {
                    text.put(field, value.textValue());
                }
            } else if (field.equals("consent")) {
                if (!value.isObject() || !value.path("marketing").isBoolean()) {
                    errors.add(new Violation("consent.marketing", "must be true or false"));
                    continue;
                }
                consent = value.get("marketing").booleanValue();
                JsonNode source = value.path("source");
                if (!source.isMissingNode() && !source.isNull() && !source.isTextual()) {
                    errors.add(new Violation("consent.source", "must be a string"));
                } else {
                    consentSource = source.isTextual() ? source.textValue() : null;
                }
                JsonNode at = value.path("at");
                if (at.isTextual()) {
                    try {
                        consentAt = Instant.parse(at.textValue());
                    } catch (RuntimeException e) {
                        errors.add(new Violation("consent.at", "must be an ISO-8601 instant"));
                    }
                } else if (!at.isMissingNode() && !at.isNull()) {
                    errors.add(new Violation("consent.at", "must be an ISO-8601 instant"));
                }
                if (consentAt != null && consentAt.isAfter(Instant.now().plusSeconds(60))) {
                    errors.add(new Violation("consent.at", "must not be in the future"));
                }
            } else if (READ_ONLY.contains(field)) {
                errors.add(new Violation(field, "cannot be changed"));
            } else {
                errors.add(new Violation(field, "unknown field"));
            }
        }
        // a phone number already in E.164 stays as it is; a new national one is read in the (new) country
        ContactValidator.Result checked = validator.check(new ContactDetails(text.get("email"),
                text.get("firstName"), text.get("lastName"), text.get("phone"), text.get("company"),
                text.get("jobTitle"), text.get("industry"), text.get("country"), consent, consentSource));
        if (errors.isEmpty() && checked.valid()) {
            return apply(contact, checked.details(), consentAt);
        }
        List<Violation> all = new ArrayList<>(errors);
        checked.errors().stream().filter(e -> all.stream().noneMatch(x -> x.field().equals(e.field())))
                .forEach(all::add);
        return Uni.createFrom().failure(new InvalidValues("One or more fields are invalid", all));
    }

    private Uni<Contact> apply(Contact c, ContactDetails d, Instant consentAt) {
        Instant now = Instant.now();
        boolean emailChanged = !Objects.equals(c.email, d.email());
        boolean consentBefore = c.consentMarketing;
        List<String> changed = new ArrayList<>();
        if (emailChanged) {
            changed.add("email");
        }
        changed.addAll(c.take(d, Contact.Blanks.CLEAR, consentAt, now));
        boolean consentChanged = c.consentMarketing != consentBefore;
        if (changed.isEmpty()) {
            return Uni.createFrom().item(c);
        }
        Uni<Void> emailFree = emailChanged
                ? contacts.findByEmail(d.email()).map(other -> {
                    if (other != null) {
                        throw taken(other);
                    }
                    return null;
                })
                : Uni.createFrom().voidItem();
        return emailFree.chain(() -> {
            c.email = d.email();
            c.updatedAt = now;
            Uni<Void> history = consentChanged
                    ? contacts.recordConsent(c.id, c.consentMarketing, c.consentAt, c.consentSource)
                    : Uni.createFrom().voidItem();
            return history.chain(() -> events.publishUpdated(c, changed, now))
                    .chain(() -> Panache.getSession().chain(s -> s.flush()))
                    .onFailure(UniqueViolation::in)
                    .transform(e -> new StateConflict("Another contact took this e-mail meanwhile"))
                    .onFailure(ContactService::concurrentUpdate)
                    .transform(e -> new StateConflict("The contact was changed by another request at the "
                            + "same time; read it again and retry"))
                    .replaceWith(c);
        });
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

    private static void requireActive(Contact contact) {
        if (contact.status == Contact.Status.MERGED) {
            throw new StateConflict("Contact " + contact.id + " was merged into " + contact.mergedInto)
                    .with("mergedInto", contact.mergedInto);
        }
        if (contact.status == Contact.Status.ERASED) {
            throw gone(contact);
        }
    }

    public static DomainException gone(Contact contact) {
        return new Erased("Contact", contact.id).with("erasedAt", contact.erasedAt);
    }

    /** Every consent given or withdrawn for the contact (and for duplicates merged into it), in the order recorded. */
    @WithSession
    public Uni<List<ConsentChange>> consentHistory(UUID id) {
        return found(id).chain(contact -> {
            requireActive(contact);
            return contacts.consentHistory(id);
        }).map(rows -> rows.stream().map(r -> new ConsentChange(r.marketing(), r.at(), r.source())).toList());
    }
}
