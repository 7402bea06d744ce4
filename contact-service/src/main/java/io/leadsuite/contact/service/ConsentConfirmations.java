package io.leadsuite.contact.service;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import io.leadsuite.contact.config.ContactConfig;
import io.leadsuite.contact.domain.Contact;
import io.leadsuite.contact.domain.ContactDetails;
import io.leadsuite.contact.event.ContactEvents;
import io.leadsuite.contact.repository.ContactRepository;
import io.leadsuite.contracts.ConsentConfirmationRequested;
import io.leadsuite.kit.domain.InvalidValues;
import io.leadsuite.kit.domain.Violation;
import io.quarkus.hibernate.reactive.panache.common.WithTransaction;
import io.smallrye.mutiny.Uni;

/**
 * Double opt-in of marketing consent given on a public web form. The consent is recorded as pending (marketing stays
 * false) and a confirmation is requested: a random token (32 bytes, URL-safe Base64) whose SHA-256 alone is stored
 * with an expiry, and a {@code consent.confirmation-requested} event (through the outbox) for the e-mail system,
 * which sends the person a link carrying the token. {@link #confirm} turns the consent on when the token comes back in
 * time: only the owner of the mailbox can do it.
 */
@ApplicationScoped
public class ConsentConfirmations {

    private static final SecureRandom RANDOM = new SecureRandom();

    @Inject
    ContactRepository contacts;
    @Inject
    ContactService matching;
    @Inject
    ContactEvents events;
    @Inject
    ContactConfig config;

    /**
     * Match-or-create for a capture from a public web form: the contact is created (or matched) without consent, and
     * when the visitor ticked consent a confirmation is requested, unless the contact has consent already or a
     * confirmation of it is still open (posting a form again does not send the person another e-mail).
     */
    @WithTransaction
    public Uni<ContactService.Match> matchFromPublicForm(ContactDetails details) {
        boolean asked = Boolean.TRUE.equals(details.consent());
        ContactDetails withoutConsent = new ContactDetails(details.email(), details.firstName(), details.lastName(),
                details.phone(), details.company(), details.jobTitle(), details.industry(), details.country(), false,
                null);
        return matching.match(withoutConsent).chain(match -> {
            Contact c = match.contact();
            if (!asked || !c.active() || c.consentMarketing) {
                return Uni.createFrom().item(match);
            }
            return contacts.openConfirmations(c.id, Instant.now()).chain(open -> {
                if (open > 0) {
                    c.consentPending = true;
                    return Uni.createFrom().item(match);
                }
                return request(c, details.consentSource()).replaceWith(match);
            });
        });
    }

    /**
     * Asks {@code contact} (active, without marketing consent) to confirm: marks its consent pending and writes the
     * token and the event, in the caller's transaction. The contact's row is updated by statement (a match answers a
     * detached contact), taking the event's sequence; {@code contact} is updated to match.
     */
    Uni<Void> request(Contact contact, String source) {
        Instant now = Instant.now().truncatedTo(ChronoUnit.MICROS);
        Instant expiresAt = now.plus(config.consent().confirmationLifetime());
        byte[] random = new byte[32];
        RANDOM.nextBytes(random);
        String token = Base64.getUrlEncoder().withoutPadding().encodeToString(random);
        return contacts.markConsentPending(contact.id, now)
                .chain(sequence -> contacts.addConfirmation(hash(token), contact.id, source, now, expiresAt)
                        .chain(() -> {
                            contact.consentPending = true;
                            contact.eventSequence = sequence;
                            contact.version++;
                            contact.updatedAt = now;
                            return events.publishConfirmationRequested(contact.id, contact.eventSequence, now,
                                    new ConsentConfirmationRequested(contact.id, contact.email, token, expiresAt,
                                            source));
                        }));
    }

    /**
     * Confirms the consent whose token this is: marketing consent on (source: the form's, "confirmed"), no longer
     * pending, the change in the consent history and published as {@code contact.updated}; every open confirmation of
     * the contact is used up. An unknown, used or expired token is refused (422 naming {@code token}), the same way
     * for all three so that the answer tells nothing about other people's tokens.
     */
    @WithTransaction
    public Uni<UUID> confirm(String token) {
        String hash = hash(token);
        Instant now = Instant.now();
        return contacts.takeConfirmation(hash).chain(confirmation -> {
            if (confirmation == null || confirmation.expiresAt().isBefore(now)) {
                throw refused();
            }
            UUID contactId = confirmation.contactId();
            return contacts.lock(contactId)
                    .chain(c -> c != null && c.status == Contact.Status.MERGED && c.mergedInto != null
                            ? contacts.lock(c.mergedInto)
                            : Uni.createFrom().item(c))
                    .chain(c -> {
                        if (c == null || !c.active()) {
                            throw refused();
                        }
                        return contacts.deleteConfirmations(contactId)
                                .chain(() -> apply(c, confirmation.source(), now));
                    });
        });
    }

    private Uni<UUID> apply(Contact c, String source, Instant now) {
        boolean changed = !c.consentMarketing;
        c.consentPending = false;
        if (!changed) {
            return Uni.createFrom().item(c.id);
        }
        c.consentMarketing = true;
        c.consentAt = now;
        c.consentSource = source == null ? "confirmed" : source + " (confirmed)";
        c.updatedAt = now;
        return contacts.recordConsent(c.id, true, now, c.consentSource)
                .chain(() -> events.publishUpdated(c, List.of("consent"), now))
                .replaceWith(c.id);
    }

    private static InvalidValues refused() {
        return new InvalidValues("The confirmation token is unknown, used or expired",
                List.of(new Violation("token", "unknown, used or expired")));
    }

    static String hash(String token) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                    .digest(token.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
