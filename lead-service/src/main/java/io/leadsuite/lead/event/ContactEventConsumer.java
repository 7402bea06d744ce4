package io.leadsuite.lead.event;

import java.util.List;

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
import io.leadsuite.lead.service.ContactChangesService;
import io.quarkus.runtime.StartupEvent;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.vertx.core.json.JsonObject;

/**
 * Consumes {@code contact-events} from lead-service's own durable queue: merges move leads to the survivor, erasures
 * close leads and remove the personal data they carry, and created/updated keep the contact's country for routing
 * (a batch's at once, after its merges and erasures).
 * Applied once (inbox, same transaction as the effect); other contact event types are acknowledged and ignored.
 */
@ApplicationScoped
public class ContactEventConsumer {

    private final EventHandlers handlers;
    private final Multi<Message<JsonObject>> messages;

    public ContactEventConsumer(Inbox inbox, ContactChangesService contacts,
            @Channel("contact-events") Multi<Message<JsonObject>> messages) {
        this.messages = messages;
        this.handlers = inbox.handlers(EventTypes.CONTACT_EVENTS)
                .on(EventTypes.CONTACT_MERGED, ContactMerged.class, contacts::merged)
                .on(EventTypes.CONTACT_ERASED, ContactErased.class, contacts::erased)
                // a batch's countries and consents are written together at its end (one statement, not one each)
                .on(EventTypes.CONTACT_CREATED, ContactCreated.class, e -> Uni.createFrom().voidItem())
                .on(EventTypes.CONTACT_UPDATED, ContactUpdated.class, e -> Uni.createFrom().voidItem())
                .finishWith(contacts::reported);
    }

    void start(@Observes StartupEvent event, BatchConsumers consumers) {
        consumers.start("contact-events", messages, this::applyAll);
    }

    /** Applies a batch of messages as received, in the caller's transaction. */
    Uni<Void> applyAll(List<JsonObject> batch) {
        return handlers.applyAll(batch);
    }
}
