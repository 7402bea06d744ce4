package io.leadsuite.lead.event;

import jakarta.enterprise.context.ApplicationScoped;

import org.eclipse.microprofile.reactive.messaging.Incoming;

import io.leadsuite.contracts.EventTypes;
import io.leadsuite.contracts.ScoreChanged;
import io.leadsuite.kit.inbox.EventHandlers;
import io.leadsuite.kit.inbox.Inbox;
import io.leadsuite.lead.nurture.NurtureService;
import io.leadsuite.lead.service.LeadService;
import io.quarkus.hibernate.reactive.panache.common.WithTransaction;
import io.smallrye.mutiny.Uni;
import io.vertx.core.json.JsonObject;

/**
 * Consumes {@code score-updates} from lead-service's own durable queue. The update and the record of its message id
 * commit together, so a redelivery changes nothing; a failure is released as failed and redelivered by the broker
 * (bounded, then the DLQ).
 */
@ApplicationScoped
public class ScoreUpdateConsumer {

    private final EventHandlers handlers;

    public ScoreUpdateConsumer(Inbox inbox, LeadService leads, NurtureService nurture) {
        this.handlers = inbox.handlers(EventTypes.SCORE_UPDATES)
                .on(EventTypes.SCORE_CHANGED, ScoreChanged.class,
                        update -> leads.applyScoreUpdate(update).chain(() -> nurture.scoreApplied(update)));
    }

    @Incoming("score-updates")
    @WithTransaction
    public Uni<Void> onScoreUpdate(JsonObject message) {
        return handlers.apply(message);
    }
}
