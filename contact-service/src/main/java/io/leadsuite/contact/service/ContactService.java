package io.leadsuite.contact.service;

import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import io.leadsuite.contact.domain.Contact;
import io.leadsuite.contracts.ContactCreated;
import io.leadsuite.contracts.EmailAddress;
import io.leadsuite.contracts.Envelope;
import io.leadsuite.contracts.EventTypes;
import io.leadsuite.kit.outbox.Outbox;
import io.leadsuite.kit.problem.Problem;
import io.leadsuite.kit.problem.ProblemException;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.quarkus.hibernate.reactive.panache.common.WithSession;
import io.quarkus.hibernate.reactive.panache.common.WithTransaction;
import io.smallrye.mutiny.Uni;

/** Creates, finds and matches contacts; every creation publishes {@code contact.created} through the outbox. */
@ApplicationScoped
public class ContactService {

    static final String SOURCE = "contact-service";

    private final Outbox outbox;

    public ContactService(Outbox outbox) {
        this.outbox = outbox;
    }

    /** The result of match-or-create. */
    public record Match(Contact contact, boolean created) {
    }

    /**
     * Finds the contact by normalised e-mail or creates it. Atomic: concurrent calls with one e-mail make exactly one
     * contact ({@code insert ... on conflict do nothing} on the unique e-mail), and only the creating call publishes
     * {@code contact.created}.
     */
    @WithTransaction
    public Uni<Match> matchOrCreate(ContactDetails details) {
        String email = requireEmail(details.email());
        Instant now = Instant.now();
        UUID id = UUID.randomUUID();
        return Panache.getSession()
                .chain(session -> session.createNativeQuery("insert into contact (id, email, first_name, last_name, "
                        + "phone, company, job_title, industry, country, consent_marketing, consent_at, consent_source, "
                        + "event_sequence, created_at, updated_at, version) "
                        + "values (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, 0, ?13, ?13, 0) "
                        + "on conflict (email) do nothing")
                        .setParameter(1, id)
                        .setParameter(2, email)
                        .setParameter(3, blankToNull(details.firstName()))
                        .setParameter(4, blankToNull(details.lastName()))
                        .setParameter(5, blankToNull(details.phone()))
                        .setParameter(6, blankToNull(details.company()))
                        .setParameter(7, blankToNull(details.jobTitle()))
                        .setParameter(8, blankToNull(details.industry()))
                        .setParameter(9, country(details.country()))
                        .setParameter(10, Boolean.TRUE.equals(details.consent()))
                        .setParameter(11, Boolean.TRUE.equals(details.consent()) ? now : null)
                        .setParameter(12, Boolean.TRUE.equals(details.consent()) ? details.consentSource() : null)
                        .setParameter(13, now)
                        .executeUpdate())
                .chain(inserted -> inserted == 1
                        ? Contact.<Contact> findById(id).chain(contact -> publishCreated(contact)
                                .replaceWith(new Match(contact, true)))
                        : Contact.findByEmail(email).map(contact -> new Match(contact, false)));
    }

    /** Creates a contact; 409 naming the existing contact when the e-mail is taken. */
    @WithTransaction
    public Uni<Contact> create(ContactDetails details) {
        String email = requireEmail(details.email());
        return Contact.findByEmail(email).chain(existing -> {
            if (existing != null) {
                return Uni.createFrom().failure(ProblemException
                        .conflict("A contact with this e-mail already exists: " + existing.id)
                        .with("existingId", existing.id));
            }
            return matchOrCreate(details).chain(match -> match.created()
                    ? Uni.createFrom().item(match.contact())
                    : Uni.createFrom().failure(ProblemException
                            .conflict("A contact with this e-mail already exists: " + match.contact().id)
                            .with("existingId", match.contact().id)));
        });
    }

    @WithSession
    public Uni<Contact> get(UUID id) {
        return Contact.<Contact> findById(id)
                .onItem().ifNull().failWith(() -> ProblemException.notFound("Contact", id));
    }

    @WithSession
    public Uni<Contact> findByEmail(String rawEmail) {
        return Contact.findByEmail(requireEmail(rawEmail));
    }

    private Uni<Void> publishCreated(Contact contact) {
        ContactCreated payload = new ContactCreated(contact.id, contact.email, contact.firstName, contact.lastName,
                contact.company, contact.jobTitle, contact.country, contact.consentMarketing);
        return outbox.add(Envelope.of(EventTypes.CONTACT_CREATED, SOURCE, contact.createdAt, contact.id,
                contact.nextEventSequence(), payload));
    }

    static String requireEmail(String raw) {
        return EmailAddress.normalise(raw).orElseThrow(() -> ProblemException.unprocessable(
                "The e-mail address is missing or malformed",
                List.of(new Problem.FieldError("email", "must be a valid e-mail address"))));
    }

    private static String country(String raw) {
        String value = blankToNull(raw);
        return value == null ? null : value.toUpperCase(Locale.ROOT);
    }

    private static String blankToNull(String value) {
        return value == null || value.isBlank() ? null : value.strip();
    }
}
