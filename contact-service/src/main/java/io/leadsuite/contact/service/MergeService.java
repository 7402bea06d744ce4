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
import io.leadsuite.kit.domain.InvalidValues;
import io.leadsuite.kit.domain.NotFound;
import io.leadsuite.kit.domain.StateConflict;
import io.leadsuite.kit.domain.Violation;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.quarkus.hibernate.reactive.panache.common.WithTransaction;
import io.smallrye.mutiny.Uni;

/**
 * Merges a duplicate into a survivor: the survivor gets every field it lacks, marketing consent becomes the stricter
 * of the two (a withdrawal or a missing consent wins), the duplicate's consent history moves over, and the duplicate
 * keeps only its e-mail and a pointer to the survivor. Publishes {@code contact.merged} (and {@code contact.updated}
 * when the survivor changed). Repeating a merge that is done changes nothing.
 */
@ApplicationScoped
public class MergeService {

    @Inject
    ContactRepository contacts;
    @Inject
    ContactEvents events;

    /** The survivor after the merge, and whether this call did it (false: it was done before). */
    public record Merged(Contact survivor, boolean merged) {
    }

    @WithTransaction
    public Uni<Merged> merge(UUID survivorId, UUID duplicateId) {
        if (duplicateId == null || survivorId.equals(duplicateId)) {
            throw new InvalidValues("A contact cannot be merged into itself",
                    List.of(new Violation("duplicateId", duplicateId == null ? "must not be null"
                            : "must differ from the survivor")));
        }
        // lock both rows, always in the same order, so two merges of the same pair cannot interleave or deadlock
        UUID first = survivorId.compareTo(duplicateId) < 0 ? survivorId : duplicateId;
        UUID second = first.equals(survivorId) ? duplicateId : survivorId;
        return contacts.lock(first).chain(a -> contacts.lock(second).chain(b -> {
            Contact survivor = first.equals(survivorId) ? a : b;
            Contact duplicate = first.equals(survivorId) ? b : a;
            return merge(survivorId, survivor, duplicateId, duplicate);
        }));
    }

    private Uni<Merged> merge(UUID survivorId, Contact survivor, UUID duplicateId, Contact duplicate) {
        if (survivor == null) {
            throw new NotFound("Contact", survivorId);
        }
        if (survivor.status == Contact.Status.ERASED) {
            throw ContactService.gone(survivor);
        }
        if (survivor.status == Contact.Status.MERGED) {
            throw new StateConflict("Contact " + survivorId + " was itself merged into "
                    + survivor.mergedInto + "; merge into that contact").with("mergedInto", survivor.mergedInto);
        }
        if (duplicate == null) {
            throw new InvalidValues("No such duplicate contact",
                    List.of(new Violation("duplicateId", "no contact with this id")));
        }
        if (duplicate.status == Contact.Status.MERGED) {
            if (survivorId.equals(duplicate.mergedInto)) {
                return Uni.createFrom().item(new Merged(survivor, false));
            }
            throw new StateConflict("Contact " + duplicateId + " was already merged into "
                    + duplicate.mergedInto).with("mergedInto", duplicate.mergedInto);
        }
        if (duplicate.status == Contact.Status.ERASED) {
            throw new InvalidValues("The duplicate was erased",
                    List.of(new Violation("duplicateId", "contact was erased")));
        }
        Instant now = Instant.now();
        List<String> changed = new ArrayList<>();
        survivor.firstName = fill("firstName", survivor.firstName, duplicate.firstName, changed);
        survivor.lastName = fill("lastName", survivor.lastName, duplicate.lastName, changed);
        survivor.phone = fill("phone", survivor.phone, duplicate.phone, changed);
        survivor.company = fill("company", survivor.company, duplicate.company, changed);
        survivor.jobTitle = fill("jobTitle", survivor.jobTitle, duplicate.jobTitle, changed);
        survivor.industry = fill("industry", survivor.industry, duplicate.industry, changed);
        survivor.country = fill("country", survivor.country, duplicate.country, changed);
        boolean consentLost = survivor.consentMarketing && !duplicate.consentMarketing;
        if (consentLost) {
            survivor.consentMarketing = false;
            survivor.consentAt = now;
            survivor.consentSource = "merge:" + duplicate.id;
            changed.add("consent");
        }
        duplicate.clearPersonalData(true);
        duplicate.status = Contact.Status.MERGED;
        duplicate.mergedInto = survivor.id;
        duplicate.mergedAt = now;
        duplicate.updatedAt = now;
        if (!changed.isEmpty()) {
            survivor.updatedAt = now;
        }
        return contacts.mergeInto(survivor.id, duplicate.id)
                .chain(() -> consentLost
                        ? contacts.recordConsent(survivor.id, false, now, survivor.consentSource)
                        : Uni.createFrom().voidItem())
                .chain(() -> events.publishMerged(survivor, duplicate, now))
                .chain(() -> changed.isEmpty() ? Uni.createFrom().voidItem()
                        : events.publishUpdated(survivor, changed, now))
                .chain(() -> Panache.getSession().chain(s -> s.flush()))
                .replaceWith(new Merged(survivor, true));
    }

    private static String fill(String field, String survivor, String duplicate, List<String> changed) {
        if (survivor == null && duplicate != null) {
            changed.add(field);
            return duplicate;
        }
        return survivor;
    }
}
