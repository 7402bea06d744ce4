package io.leadsuite.lead.event;

import jakarta.enterprise.context.ApplicationScoped;

import org.eclipse.microprofile.reactive.messaging.Incoming;

import io.leadsuite.contracts.Envelope;
import io.leadsuite.kit.event.EventCodec;
import io.leadsuite.kit.inbox.Inbox;
import io.leadsuite.lead.webhook.WebhookService;
import io.quarkus.hibernate.reactive.panache.common.WithTransaction;
import io.smallrye.mutiny.Uni;
import io.vertx.core.json.JsonObject;

/**
 * Consumes lead-service's own {@code lead-events} on a durable queue of its own
 * ({@code lead-events::lead-events.lead-service}), so that what follows an event happens after the event committed,
 * through the outbox, once: each lead event becomes one webhook delivery per matching subscription. The deliveries and
 * the inbox record commit together, so a redelivered event creates nothing twice.
 */
@ApplicationScoped
public class LeadEventConsumer {

    private final EventCodec codec;
    private final Inbox inbox;
    private final WebhookService webhooks;

    public LeadEventConsumer(EventCodec codec, Inbox inbox, WebhookService webhooks) {
        this.codec = codec;
        this.inbox = inbox;
        this.webhooks = webhooks;
    }

    @Incoming("lead-events-in")
    @WithTransaction
    public Uni<Void> onLeadEvent(JsonObject message) {
        Envelope<Object> event = codec.decode(message, Object.class);
        return inbox.applyOnce(event, () -> webhooks.fanOut(event, message.encode()));
    }
}
