package io.leadsuite.lead.event;

import java.util.Map;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import org.eclipse.microprofile.reactive.messaging.Channel;
import org.eclipse.microprofile.reactive.messaging.Message;

import io.leadsuite.contracts.Envelope;
import io.leadsuite.contracts.EventTypes;
import io.leadsuite.kit.consumer.BatchConsumers;
import io.leadsuite.kit.inbox.EventHandlers;
import io.leadsuite.kit.inbox.Inbox;
import io.leadsuite.lead.nurture.NurtureService;
import io.leadsuite.lead.routing.RoutingService;
import io.leadsuite.lead.service.LeadService;
import io.leadsuite.lead.sla.SlaService;
import io.leadsuite.lead.webhook.WebhookService;
import io.quarkus.runtime.StartupEvent;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.vertx.core.json.JsonObject;

/**
 * Consumes lead-service's own {@code lead-events} on a durable queue of its own
 * ({@code lead-events::lead-events.lead-service}), so that what follows an event happens after the event committed,
 * through the outbox, once. One consumer does it all because the inbox keys on the message id: each lead event
 * becomes one webhook delivery per matching subscription, and a lead entering a stage (lead.created,
 * lead.stage-changed) is routed, gets the stage's SLA deadline, and fires stage nurture triggers. Everything commits
 * with the inbox record, so a redelivered event changes nothing.
 */
@ApplicationScoped
public class LeadEventConsumer {

    private final RoutingService routing;
    private final SlaService sla;
    private final NurtureService nurture;
    private final EventHandlers handlers;
    private final Multi<Message<JsonObject>> messages;

    public LeadEventConsumer(Inbox inbox, WebhookService webhooks, RoutingService routing, SlaService sla,
            NurtureService nurture, LeadService leads, @Channel("lead-events-in") Multi<Message<JsonObject>> messages) {
        this.routing = routing;
        this.sla = sla;
        this.nurture = nurture;
        this.messages = messages;
        this.handlers = inbox.handlers(EventTypes.LEAD_EVENTS)
                .otherwise((event, body) -> webhooks.fanOut(event, body.encode()).chain(() -> stageEntered(event)))
                .lockFirst(events -> leads.lockAll(events.stream().map(Envelope::subject).toList()));
    }

    void start(@Observes StartupEvent event, BatchConsumers consumers) {
        consumers.start("lead-events-in", messages, handlers::applyAll);
    }

    private Uni<Void> stageEntered(Envelope<Object> event) {
        String stage = enteredStage(event);
        if (stage == null) {
            return Uni.createFrom().voidItem();
        }
        UUID leadId = event.subject();
        // routing first: it takes the lead's row lock, which the others then hold too
        return routing.stageEntered(leadId, stage, event.time())
                .chain(() -> sla.stageEntered(leadId, stage, event.time()))
                .chain(() -> nurture.stageEntered(leadId, stage, event.id()));
    }

    /** The stage a lead entered with this event, or null if it entered none. */
    static String enteredStage(Envelope<Object> event) {
        if (!(event.data() instanceof Map<?, ?> data)) {
            return null;
        }
        Object stage = switch (event.type()) {
            case EventTypes.LEAD_CREATED -> data.get("stage");
            case EventTypes.LEAD_STAGE_CHANGED -> data.get("to");
            default -> null;
        };
        return stage instanceof String s ? s : null;
    }
}
