package io.leadsuite.contact.event;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import io.leadsuite.contact.domain.Contact;
import io.leadsuite.contracts.ConsentConfirmationRequested;
import io.leadsuite.contracts.ContactCreated;
import io.leadsuite.contracts.ContactErased;
import io.leadsuite.contracts.ContactMerged;
import io.leadsuite.contracts.ContactUpdated;
import io.leadsuite.contracts.Envelope;
import io.leadsuite.contracts.EventTypes;
import io.leadsuite.kit.outbox.Outbox;
import io.smallrye.mutiny.Uni;

/**
 * The events contact-service publishes on {@code contact-events}, in the shapes of message-contracts, each with the
 * contact's next per-subject sequence. Written to the outbox inside the caller's transaction.
 */
@ApplicationScoped
public class ContactEvents {

    public static final String SOURCE = "contact-service";

    @Inject
    Outbox outbox;

    /** {@code contact.created} with the contact's next sequence (which it takes). */
    public static Envelope<ContactCreated> created(Contact c) {
        return created(c, c.nextEventSequence());
    }

    private static Envelope<ContactCreated> created(Contact c, long sequence) {
        return Envelope.of(EventTypes.CONTACT_CREATED, SOURCE, c.createdAt, c.id, sequence,
                new ContactCreated(c.id, c.email, c.firstName, c.lastName, c.company, c.jobTitle, c.country,
                        c.consentMarketing));
    }

    /** The whole demographic snapshot after the change and the names of the fields that changed. */
    public static Envelope<ContactUpdated> updated(Contact c, List<String> changed, Instant at) {
        return Envelope.of(EventTypes.CONTACT_UPDATED, SOURCE, at, c.id, c.nextEventSequence(),
                new ContactUpdated(c.id, c.email, c.firstName, c.lastName, c.phone, c.company, c.jobTitle,
                        c.industry, c.country, c.consentMarketing, List.copyOf(changed)));
    }

    /**
     * {@code contact.created} for a contact whose row already holds the event's sequence ({@code eventSequence}, set
     * when the row was inserted), so that nothing has to update the row afterwards.
     */
    public Uni<Void> publishCreatedAsStored(Contact c) {
        return outbox.add(created(c, c.eventSequence));
    }

    public Uni<Void> publishUpdated(Contact c, List<String> changed, Instant at) {
        return outbox.add(updated(c, changed, at));
    }

    public Uni<Void> publishMerged(Contact survivor, Contact duplicate, Instant at) {
        return outbox.add(Envelope.of(EventTypes.CONTACT_MERGED, SOURCE, at, survivor.id,
                survivor.nextEventSequence(), new ContactMerged(survivor.id, duplicate.id)));
    }

    /** {@code consent.confirmation-requested}: for the e-mail system; {@code sequence} already taken by the row. */
    public Uni<Void> publishConfirmationRequested(UUID contactId, long sequence, Instant at,
            ConsentConfirmationRequested request) {
        return outbox.add(Envelope.of(EventTypes.CONSENT_CONFIRMATION_REQUESTED, SOURCE, at, contactId, sequence,
                request));
    }

    public Uni<Void> publishErased(Contact c, Instant at) {
        return outbox.add(Envelope.of(EventTypes.CONTACT_ERASED, SOURCE, at, c.id, c.nextEventSequence(),
                new ContactErased(c.id)));
    }
}
