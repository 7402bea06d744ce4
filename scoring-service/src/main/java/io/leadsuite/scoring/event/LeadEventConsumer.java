package io.leadsuite.scoring.event;

import java.util.Set;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import org.eclipse.microprofile.reactive.messaging.Channel;
import org.eclipse.microprofile.reactive.messaging.Message;
import org.jboss.logging.Logger;

import io.leadsuite.contracts.EventTypes;
import io.leadsuite.contracts.LeadAccepted;
import io.leadsuite.contracts.LeadCaptured;
import io.leadsuite.contracts.LeadClosed;
import io.leadsuite.contracts.LeadCreated;
import io.leadsuite.contracts.LeadOpportunity;
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
 * (FORM_SUBMITTED interactions), {@code lead.updated} (attributes for LEAD rules, topic, status),
 * {@code lead.stage-changed}, {@code lead.closed}, {@code lead.accepted} and {@code lead.opportunity} (stage and
 * status: closed leads stop scoring); other types are acknowledged as they arrive, without a transaction
 * ({@link #applied}). Each event changes the lead's
 * projection only where it is newer (per-lead {@code sequence}, see {@code TrackedLead#apply}). The effect and the
 * record of the message id commit together, so a redelivery changes nothing; a failure is released as failed and
 * redelivered by the broker (bounded, then the DLQ).
 */
@ApplicationScoped
public class LeadEventConsumer {

    private static final Logger LOG = Logger.getLogger(LeadEventConsumer.class);

    private final EventHandlers handlers;
    private final Multi<Message<JsonObject>> messages;

    public LeadEventConsumer(Inbox inbox, EventIntake intake,
            @Channel("lead-events") Multi<Message<JsonObject>> messages) {
        this.messages = messages;
        this.handlers = inbox.handlers(EventTypes.LEAD_EVENTS)
                .on(EventTypes.LEAD_CREATED, LeadCreated.class,
                        created -> intake.leadCreated(created.data(), created.sequence()))
                .on(EventTypes.LEAD_CAPTURED, LeadCaptured.class, captured -> intake.leadCaptured(captured.data()))
                .on(EventTypes.LEAD_UPDATED, LeadUpdated.class,
                        updated -> intake.leadUpdated(updated.data(), updated.sequence()))
                .on(EventTypes.LEAD_STAGE_CHANGED, LeadStageChanged.class,
                        changed -> intake.leadStageChanged(changed.data(), changed.sequence()))
                .on(EventTypes.LEAD_CLOSED, LeadClosed.class, closed -> intake.leadStatus(closed.data().leadId(),
                        closed.data().contactId(), closed.data().status(), closed.data().stage(), closed.sequence()))
                .on(EventTypes.LEAD_ACCEPTED, LeadAccepted.class, accepted -> intake.leadStatus(
                        accepted.data().leadId(), accepted.data().contactId(), accepted.data().status(),
                        accepted.data().stage(), accepted.sequence()))
                .on(EventTypes.LEAD_OPPORTUNITY, LeadOpportunity.class, opportunity -> intake.leadStatus(
                        opportunity.data().leadId(), opportunity.data().contactId(), opportunity.data().status(),
                        opportunity.data().stage(), opportunity.sequence()))
                .lockFirst(intake::lockAll);
    }

    /**
     * The lead event types scoring applies (each has a handler above). The others ({@code lead.sales-ready},
     * {@code lead.assigned}, {@code lead.nurture}, {@code lead.sla-breached}, {@code lead.rejected}, which lead-service
     * always follows with a {@code lead.stage-changed}, and types added later) change nothing here.
     */
    static final Set<String> APPLIED = Set.of(EventTypes.LEAD_CREATED, EventTypes.LEAD_CAPTURED,
            EventTypes.LEAD_UPDATED, EventTypes.LEAD_STAGE_CHANGED, EventTypes.LEAD_CLOSED, EventTypes.LEAD_ACCEPTED,
            EventTypes.LEAD_OPPORTUNITY);

    void start(@Observes StartupEvent event, BatchConsumers consumers) {
        consumers.start("lead-events", applied(messages), handlers::applyAll);
    }

    /**
     * Acknowledges and drops, before they join a batch, the messages of types scoring does not apply: they need no
     * inbox record (they have no effect to make once), and a batch of only such messages would still cost a
     * transaction (a connection, BEGIN, COMMIT). Each one dropped is replaced by the next from the broker, so the
     * consumer's bound on unacknowledged messages holds. A message without a readable type goes on: the handlers
     * fail it, so it ends on the DLQ.
     */
    static Multi<Message<JsonObject>> applied(Multi<Message<JsonObject>> messages) {
        return messages.select().where(message -> {
            if (applies(message.getPayload())) {
                return true;
            }
            message.ack().whenComplete((done, failure) -> {
                if (failure != null) {
                    LOG.debugf(failure, "Cannot acknowledge an ignored lead event");
                }
            });
            return false;
        });
    }

    static boolean applies(JsonObject body) {
        Object type = body == null ? null : body.getValue("type");
        return !(type instanceof String name) || APPLIED.contains(name);
    }
}
