package io.leadsuite.scoring.event;

import java.util.ArrayList;
import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;

import org.eclipse.microprofile.reactive.messaging.Channel;
import org.eclipse.microprofile.reactive.messaging.Message;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.leadsuite.kit.consumer.BatchConsumers;
import io.leadsuite.kit.event.EventCodec.UnreadableEventException;
import io.leadsuite.scoring.config.ScoringClock;
import io.leadsuite.scoring.domain.InteractionInput;
import io.leadsuite.scoring.service.InteractionBatch;
import io.leadsuite.scoring.service.InteractionService;
import io.quarkus.runtime.StartupEvent;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.vertx.core.json.JsonObject;

/**
 * Consumes the inbound {@code interactions} anycast queue that e-mail and web-tracking systems send to: each message
 * is one interaction exactly as {@code POST /interactions} takes it (not an envelope). Its own id
 * makes a redelivery or a repeat harmless (stored once, counted once). A message that is not a valid interaction fails:
 * the broker redelivers it a bounded number of times and then moves it to the DLQ, where an operator sees it.
 */
@ApplicationScoped
public class InteractionConsumer {

    @Inject
    InteractionService interactions;
    @Inject
    ObjectMapper mapper;
    @Inject
    ScoringClock clock;
    @Inject
    @Channel("interactions")
    Multi<Message<JsonObject>> messages;

    void start(@Observes StartupEvent event, BatchConsumers consumers) {
        consumers.start("interactions", messages, this::applyAll);
    }

    /**
     * A batch of messages becomes one submission (one lock set, one store statement, one scoring pass), in message
     * order; the interaction ids keep a repeat harmless. One unreadable message fails the batch, which is then applied
     * message by message so that only that one goes back to the broker.
     */
    Uni<Void> applyAll(List<JsonObject> batch) {
        List<InteractionInput> inputs = new ArrayList<>();
        for (JsonObject message : batch) {
            inputs.addAll(read(message));
        }
        return inputs.isEmpty() ? Uni.createFrom().voidItem() : interactions.apply(inputs).replaceWithVoid();
    }

    private List<InteractionInput> read(JsonObject message) {
        JsonNode body = mapper.valueToTree(message.getMap());
        InteractionBatch read;
        try {
            read = InteractionBatch.read(body, clock.now());
        } catch (RuntimeException e) {
            throw new UnreadableEventException("Not an interaction: " + e.getMessage());
        }
        if (!read.rejected().isEmpty()) {
            throw new UnreadableEventException("Invalid interaction: " + read.rejected());
        }
        return read.valid();
    }
}
