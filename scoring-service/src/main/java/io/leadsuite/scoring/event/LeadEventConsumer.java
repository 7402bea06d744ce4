package io.leadsuite.scoring.event;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import org.eclipse.microprofile.reactive.messaging.Channel;
import org.eclipse.microprofile.reactive.messaging.Message;

import io.leadsuite.contracts.EventTypes;
import io.leadsuite.contracts.LeadCaptured;
import io.leadsuite.contracts.LeadCreated;
import io.leadsuite.contracts.LeadStageChanged;
import io.leadsuite.contracts.LeadUpdated;
import io.leadsuite.kit.consumer.BatchConsumers;
import io.leadsuite.kit.inbox.EventHandlers;
import io.leadsuite.kit.inbox.Inbox;
import io.leadsuite.scoring.service.EventIntake;
import io.quarkus.runtime.StartupEvent;
import io.smallrye.mutiny.Multi;
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
    private final Multi<Message<JsonObject>> messages;

    public LeadEventConsumer(Inbox inbox, EventIntake intake,
            @Channel("lead-events") Multi<Message<JsonObject>> messages) {
        this.messages = messages;
        this.handlers = inbox.handlers(EventTypes.LEAD_EVENTS)
                .on(EventTypes.LEAD_CREATED, LeadCreated.class, created -> intake.leadCreated(created.data()))
                .on(EventTypes.LEAD_CAPTURED, LeadCaptured.class, captured -> intake.leadCaptured(captured.data()))
                .on(EventTypes.LEAD_UPDATED, LeadUpdated.class, updated -> intake.leadUpdated(updated.data()))
                .on(EventTypes.LEAD_STAGE_CHANGED, LeadStageChanged.class,
                        changed -> intake.leadStageChanged(changed.data()))
                .lockFirst(intake::lockAll);
    }

    void start(@Observes StartupEvent event, BatchConsumers consumers) {
        consumers.start("lead-events", messages, handlers::applyAll);
    }
}
