package io.leadsuite.scoring.event;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import org.eclipse.microprofile.reactive.messaging.Channel;
import org.eclipse.microprofile.reactive.messaging.Message;

import io.leadsuite.contracts.ContactCreated;
import io.leadsuite.contracts.ContactErased;
import io.leadsuite.contracts.ContactMerged;
import io.leadsuite.contracts.ContactUpdated;
import io.leadsuite.contracts.EventTypes;
import io.leadsuite.kit.consumer.BatchConsumers;
import io.leadsuite.kit.inbox.EventHandlers;
import io.leadsuite.kit.inbox.Inbox;
import io.leadsuite.scoring.service.EventIntake;
import io.quarkus.runtime.StartupEvent;
import io.smallrye.mutiny.Multi;
import io.vertx.core.json.JsonObject;

/**
 * Consumes {@code contact-events} from scoring-service's own durable queue: {@code contact.created} and
 * {@code contact.updated} (the e-mail interactions resolve by, and the demographic snapshot DEMOGRAPHIC rules test),
 * {@code contact.merged} (interactions and leads move to the survivor) and {@code contact.erased} (the contact's
 * interactions and scores are deleted; the contact stays as a tombstone without personal data). A snapshot older than
 * the one applied (per-contact {@code sequence}), or of an erased contact, changes nothing. Other types are
 * acknowledged and ignored.
 */
@ApplicationScoped
public class ContactEventConsumer {

    private final EventHandlers handlers;
    private final Multi<Message<JsonObject>> messages;

    public ContactEventConsumer(Inbox inbox, EventIntake intake,
            @Channel("contact-events") Multi<Message<JsonObject>> messages) {
        this.messages = messages;
        this.handlers = inbox.handlers(EventTypes.CONTACT_EVENTS)
                .on(EventTypes.CONTACT_CREATED, ContactCreated.class,
                        created -> intake.contactCreated(created.data(), created.sequence()))
                .on(EventTypes.CONTACT_UPDATED, ContactUpdated.class,
                        updated -> intake.contactUpdated(updated.data(), updated.sequence()))
                .on(EventTypes.CONTACT_MERGED, ContactMerged.class, merged -> intake.contactMerged(merged.data()))
                .on(EventTypes.CONTACT_ERASED, ContactErased.class,
                        erased -> intake.contactErased(erased.data(), erased.sequence()))
                .lockFirst(intake::lockAll);
    }

    void start(@Observes StartupEvent event, BatchConsumers consumers) {
        consumers.start("contact-events", messages, handlers::applyAll);
    }
}
