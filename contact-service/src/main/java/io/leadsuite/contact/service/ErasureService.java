package io.leadsuite.contact.service;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import org.hibernate.LockMode;

import io.leadsuite.contact.domain.Contact;
import io.leadsuite.contact.event.ContactEvents;
import io.leadsuite.kit.problem.ProblemException;
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

    private final ContactEvents events;

    public ErasureService(ContactEvents events) {
        this.events = events;
    }

    @WithTransaction
    public Uni<Void> erase(UUID id) {
        return Panache.getSession().chain(s -> s.find(Contact.class, id, LockMode.PESSIMISTIC_WRITE)
                .onItem().ifNull().failWith(() -> ProblemException.notFound("Contact", id))
                .chain(contact -> {
                    if (contact.status == Contact.Status.ERASED) {
                        return Uni.createFrom().voidItem();
                    }
                    return Contact.<Contact> list("mergedInto = ?1 and status = ?2", id, Contact.Status.MERGED)
                            .chain(duplicates -> {
                                List<Contact> all = new ArrayList<>(duplicates);
                                all.add(contact);
                                Instant now = Instant.now();
                                Uni<Void> chain = Uni.createFrom().voidItem();
                                for (Contact c : all) {
                                    chain = chain.chain(() -> eraseOne(s, c, now));
                                }
                                return chain.chain(() -> s.flush());
                            });
                }));
    }

    private Uni<Void> eraseOne(org.hibernate.reactive.mutiny.Mutiny.Session s, Contact c, Instant now) {
        c.clearPersonalData(false);
        c.status = Contact.Status.ERASED;
        c.erasedAt = now;
        c.updatedAt = now;
        return s.createNativeQuery("delete from consent_change where contact_id = ?1").setParameter(1, c.id)
                .executeUpdate()
                .chain(() -> s.createNativeQuery("delete from consent_confirmation where contact_id = ?1")
                        .setParameter(1, c.id).executeUpdate())
                .chain(() -> s.createNativeQuery("delete from idempotent_request where location = ?1")
                        .setParameter(1, "/contacts/" + c.id).executeUpdate())
                .chain(() -> s.createNativeQuery("delete from outbox_dead_letter where subject = ?1")
                        .setParameter(1, c.id).executeUpdate())
                // its events not relayed yet carry its e-mail and names: they are not sent (contact.erased, written
                // next, tells every service what they need to know)
                .chain(() -> s.createNativeQuery("delete from outbox_message where subject = ?1")
                        .setParameter(1, c.id).executeUpdate())
                .chain(() -> events.publishErased(c, now));
    }
}
