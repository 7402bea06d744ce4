package io.leadsuite.scoring.event;

import jakarta.enterprise.context.ApplicationScoped;

import org.eclipse.microprofile.reactive.messaging.Incoming;

import io.leadsuite.contracts.ContactCreated;
import io.leadsuite.contracts.EventTypes;
import io.leadsuite.kit.inbox.EventHandlers;
import io.leadsuite.kit.inbox.Inbox;
import io.leadsuite.scoring.service.EventIntake;
import io.quarkus.hibernate.reactive.panache.common.WithTransaction;
import io.smallrye.mutiny.Uni;
import io.vertx.core.json.JsonObject;

/**
 * Consumes {@code contact-events} from scoring-service's own durable queue: {@code contact.created} tells which
 * e-mail a contact has, so interactions naming the e-mail resolve. Other types are acknowledged and ignored.
 */
@ApplicationScoped
public class ContactEventConsumer {

    private final EventHandlers handlers;

    public ContactEventConsumer(Inbox inbox, EventIntake intake) {
        this.handlers = inbox.handlers(EventTypes.CONTACT_EVENTS)
                .on(EventTypes.CONTACT_CREATED, ContactCreated.class, created -> intake.contactCreated(created.data()));
    }

    @Incoming("contact-events")
    @WithTransaction
    public Uni<Void> onContactEvent(JsonObject message) {
        return handlers.apply(message);
    }
}
