package io.leadsuite.scoring.event;

import jakarta.enterprise.context.ApplicationScoped;

import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.jboss.logging.Logger;

import io.leadsuite.contracts.ContactCreated;
import io.leadsuite.contracts.Envelope;
import io.leadsuite.contracts.EventTypes;
import io.leadsuite.kit.event.EventCodec;
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

    private static final Logger LOG = Logger.getLogger(ContactEventConsumer.class);

    private final EventCodec codec;
    private final Inbox inbox;
    private final EventIntake intake;

    public ContactEventConsumer(EventCodec codec, Inbox inbox, EventIntake intake) {
        this.codec = codec;
        this.inbox = inbox;
        this.intake = intake;
    }

    @Incoming("contact-events")
    @WithTransaction
    public Uni<Void> onContactEvent(JsonObject message) {
        String type = codec.typeOf(message);
        if (!EventTypes.CONTACT_CREATED.equals(type)) {
            LOG.debugf("Ignoring %s on contact-events", type);
            return Uni.createFrom().voidItem();
        }
        Envelope<ContactCreated> created = codec.decode(message, ContactCreated.class);
        return inbox.applyOnce(created, () -> intake.contactCreated(created.data()));
    }
}
