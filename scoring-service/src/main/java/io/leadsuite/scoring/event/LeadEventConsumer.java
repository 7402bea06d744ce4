package io.leadsuite.scoring.event;

import jakarta.enterprise.context.ApplicationScoped;

import org.eclipse.microprofile.reactive.messaging.Incoming;

import io.leadsuite.contracts.EventTypes;
import io.leadsuite.contracts.LeadCaptured;
import io.leadsuite.contracts.LeadCreated;
import io.leadsuite.contracts.LeadStageChanged;
import io.leadsuite.contracts.LeadUpdated;
import io.leadsuite.kit.inbox.EventHandlers;
import io.leadsuite.kit.inbox.Inbox;
import io.leadsuite.scoring.service.EventIntake;
import io.quarkus.hibernate.reactive.panache.common.WithTransaction;
import io.smallrye.mutiny.Uni;
import io.vertx.core.json.JsonObject;

/**
 * Consumes {@code lead-events} from scoring-service's own durable queue: {@code lead.created}, {@code lead.captured}
 * (FORM_SUBMITTED interactions), {@code lead.updated} (attributes for LEAD rules, topic, status) and
 * {@code lead.stage-changed} (status: closed leads stop scoring); other types are acknowledged and ignored. The effect and the
 * record of the message id commit
 * together, so a redelivery changes nothing; a failure is released as failed and redelivered by the broker (bounded,
 * then the DLQ).
 */
@ApplicationScoped
public class LeadEventConsumer {

    private final EventHandlers handlers;

    public LeadEventConsumer(Inbox inbox, EventIntake intake) {
        this.handlers = inbox.handlers(EventTypes.LEAD_EVENTS)
                .on(EventTypes.LEAD_CREATED, LeadCreated.class, created -> intake.leadCreated(created.data()))
                .on(EventTypes.LEAD_CAPTURED, LeadCaptured.class, captured -> intake.leadCaptured(captured.data()))
                .on(EventTypes.LEAD_UPDATED, LeadUpdated.class, updated -> intake.leadUpdated(updated.data()))
                .on(EventTypes.LEAD_STAGE_CHANGED, LeadStageChanged.class,
                        changed -> intake.leadStageChanged(changed.data()));
    }

    @Incoming("lead-events")
    @WithTransaction
    public Uni<Void> onLeadEvent(JsonObject message) {
        return handlers.apply(message);
    }
}
