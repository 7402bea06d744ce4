package io.leadsuite.lead.event;

import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import org.eclipse.microprofile.reactive.messaging.Channel;
import org.eclipse.microprofile.reactive.messaging.Message;

import io.leadsuite.contracts.Envelope;
import io.leadsuite.contracts.EventTypes;
import io.leadsuite.contracts.ScoreChanged;
import io.leadsuite.kit.consumer.BatchConsumers;
import io.leadsuite.kit.inbox.EventHandlers;
import io.leadsuite.kit.inbox.Inbox;
import io.leadsuite.lead.service.LeadEvents;
import io.leadsuite.lead.service.LeadService;
import io.leadsuite.lead.service.nurture.NurtureService;
import io.quarkus.runtime.StartupEvent;
import io.smallrye.mutiny.Multi;
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
    private final LeadEvents events;
    private final Multi<Message<JsonObject>> messages;

    public ScoreUpdateConsumer(Inbox inbox, LeadService leads, NurtureService nurture, LeadEvents events,
            @Channel("score-updates") Multi<Message<JsonObject>> messages) {
        this.messages = messages;
        this.events = events;
        this.handlers = inbox.handlers(EventTypes.SCORE_UPDATES)
                .on(EventTypes.SCORE_CHANGED, ScoreChanged.class,
                        update -> leads.applyScoreUpdate(update).chain(() -> nurture.scoreApplied(update)))
                .lockFirst(updates -> leads.lockAndLoad(updates.stream().map(Envelope::subject).toList()))
                // a batch's updates change the leads loaded above, written once at its end (one update per lead)
                .settleOnce();
    }

    void start(@Observes StartupEvent event, BatchConsumers consumers) {
        consumers.start("score-updates", messages, this::applyAll);
    }

    /**
     * Applies a batch of messages as received, in the caller's transaction; the lead events they cause are written
     * together at the end (three statements for the batch, not three per event).
     */
    Uni<Void> applyAll(List<JsonObject> batch) {
        return events.gathered(() -> handlers.applyAll(batch));
    }
}
