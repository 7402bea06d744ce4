package io.leadsuite.lead.event;

import jakarta.enterprise.context.ApplicationScoped;

import org.eclipse.microprofile.reactive.messaging.Incoming;

import io.leadsuite.contracts.ContactCreated;
import io.leadsuite.contracts.ContactErased;
import io.leadsuite.contracts.ContactMerged;
import io.leadsuite.contracts.ContactUpdated;
import io.leadsuite.contracts.EventTypes;
import io.leadsuite.kit.inbox.EventHandlers;
import io.leadsuite.kit.inbox.Inbox;
import io.leadsuite.lead.service.ContactChangesService;
import io.quarkus.hibernate.reactive.panache.common.WithTransaction;
import io.smallrye.mutiny.Uni;
import io.vertx.core.json.JsonObject;

/**
 * Consumes {@code contact-events} from lead-service's own durable queue: merges move leads to the survivor, erasures
 * close leads and remove the personal data they carry, and created/updated keep the contact's country for routing.
 * Applied once (inbox, same transaction as the effect); other contact event types are acknowledged and ignored.
 */
@ApplicationScoped
public class ContactEventConsumer {

    private final EventHandlers handlers;

    public ContactEventConsumer(Inbox inbox, ContactChangesService contacts) {
        this.handlers = inbox.handlers(EventTypes.CONTACT_EVENTS)
                .on(EventTypes.CONTACT_MERGED, ContactMerged.class, contacts::merged)
                .on(EventTypes.CONTACT_ERASED, ContactErased.class, contacts::erased)
                .on(EventTypes.CONTACT_CREATED, ContactCreated.class,
                        e -> contacts.country(e.data().contactId(), e.data().country(), e.time()))
                .on(EventTypes.CONTACT_UPDATED, ContactUpdated.class,
                        e -> contacts.country(e.data().contactId(), e.data().country(), e.time()));
    }

    @Incoming("contact-events")
    @WithTransaction
    public Uni<Void> onContactEvent(JsonObject message) {
        return handlers.apply(message);
    }
}
