package io.leadsuite.scoring.event;

import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;

import org.eclipse.microprofile.reactive.messaging.Incoming;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.leadsuite.kit.event.EventCodec.UnreadableEventException;
import io.leadsuite.scoring.config.ScoringClock;
import io.leadsuite.scoring.rest.InteractionBatch;
import io.leadsuite.scoring.service.InteractionService;
import io.quarkus.hibernate.reactive.panache.common.WithTransaction;
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

    private final InteractionService interactions;
    private final ObjectMapper mapper;
    private final ScoringClock clock;

    public InteractionConsumer(InteractionService interactions, ObjectMapper mapper, ScoringClock clock) {
        this.interactions = interactions;
        this.mapper = mapper;
        this.clock = clock;
    }

    @Incoming("interactions")
    @WithTransaction
    public Uni<Void> onInteraction(JsonObject message) {
        JsonNode body = mapper.valueToTree(message.getMap());
        InteractionBatch batch;
        try {
            batch = InteractionBatch.read(body, clock.now());
        } catch (RuntimeException e) {
            throw new UnreadableEventException("Not an interaction: " + e.getMessage());
        }
        if (!batch.rejected().isEmpty()) {
            throw new UnreadableEventException("Invalid interaction: " + batch.rejected());
        }
        return interactions.submit(List.copyOf(batch.valid())).replaceWithVoid();
    }
}
