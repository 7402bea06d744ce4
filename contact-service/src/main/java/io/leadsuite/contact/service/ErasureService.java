package io.leadsuite.contact.service;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import io.leadsuite.contact.domain.Contact;
import io.leadsuite.contact.event.ContactEvents;
import io.leadsuite.contact.repository.ContactRepository;
import io.leadsuite.kit.domain.NotFound;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.quarkus.hibernate.reactive.panache.common.WithTransaction;
import io.smallrye.mutiny.Uni;

/**
 * GDPR erasure. In one transaction: the contact becomes a tombstone (id, status ERASED, erasedAt, timestamps, event
 * sequence; no e-mail, name or other personal field, not even a hash of the e-mail), and so does every duplicate that
 * was merged into it (a merged duplicate still holds its e-mail); their consent history is deleted; the stored
 * answers of idempotent requests that created them (their bodies hold the contact) are deleted, as are their outbox
 * rows not relayed yet and dead-lettered ones; {@code contact.erased} is published for each. Erasing an erased contact changes
 * nothing.
 */
@ApplicationScoped
public class ErasureService {

    @Inject
    ContactRepository contacts;
    @Inject
    ContactEvents events;

    @WithTransaction
    public Uni<Void> erase(UUID id) {
        return contacts.lock(id)
                .onItem().ifNull().failWith(() -> new NotFound("Contact", id))
                .chain(contact -> {
                    if (contact.status == Contact.Status.ERASED) {
                        return Uni.createFrom().voidItem();
                    }
                    return contacts.duplicatesOf(id).chain(duplicates -> {
                        List<Contact> all = new ArrayList<>(duplicates);
                        all.add(contact);
                        Instant now = Instant.now();
                        Uni<Void> chain = Uni.createFrom().voidItem();
                        for (Contact c : all) {
                            chain = chain.chain(() -> eraseOne(c, now));
                        }
                        return chain.chain(() -> Panache.getSession().chain(s -> s.flush()));
                    });
                });
    }

    private Uni<Void> eraseOne(Contact c, Instant now) {
        c.clearPersonalData(false);
        c.status = Contact.Status.ERASED;
        c.erasedAt = now;
        c.updatedAt = now;
        return contacts.deletePersonalTraces(c.id).chain(() -> events.publishErased(c, now));
    }
}
