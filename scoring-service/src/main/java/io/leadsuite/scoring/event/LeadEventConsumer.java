package io.leadsuite.scoring.event;

import jakarta.enterprise.context.ApplicationScoped;

import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.jboss.logging.Logger;

import io.leadsuite.contracts.Envelope;
import io.leadsuite.contracts.EventTypes;
import io.leadsuite.contracts.LeadCaptured;
import io.leadsuite.contracts.LeadCreated;
import io.leadsuite.kit.event.EventCodec;
import io.leadsuite.kit.inbox.Inbox;
import io.leadsuite.scoring.service.EventIntake;
import io.quarkus.hibernate.reactive.panache.common.WithTransaction;
import io.smallrye.mutiny.Uni;
import io.vertx.core.json.JsonObject;

/**
 * Consumes {@code lead-events} from scoring-service's own durable queue: {@code lead.created} and
 * {@code lead.captured}; other types are acknowledged and ignored. The effect and the record of the message id commit
 * together, so a redelivery changes nothing; a failure is released as failed and redelivered by the broker (bounded,
 * then the DLQ).
 */
@ApplicationScoped
public class LeadEventConsumer {

    private static final Logger LOG = Logger.getLogger(LeadEventConsumer.class);

    private final EventCodec codec;
    private final Inbox inbox;
    private final EventIntake intake;

    public LeadEventConsumer(EventCodec codec, Inbox inbox, EventIntake intake) {
        this.codec = codec;
        this.inbox = inbox;
        this.intake = intake;
    }

    @Incoming("lead-events")
    @WithTransaction
    public Uni<Void> onLeadEvent(JsonObject message) {
        String type = codec.typeOf(message);
        if (EventTypes.LEAD_CREATED.equals(type)) {
            Envelope<LeadCreated> created = codec.decode(message, LeadCreated.class);
            return inbox.applyOnce(created, () -> intake.leadCreated(created.data()));
        }
        if (EventTypes.LEAD_CAPTURED.equals(type)) {
            Envelope<LeadCaptured> captured = codec.decode(message, LeadCaptured.class);
            return inbox.applyOnce(captured, () -> intake.leadCaptured(captured.data()));
        }
        LOG.debugf("Ignoring %s on lead-events", type);
        return Uni.createFrom().voidItem();
    }
}
