package io.leadsuite.scoring.event;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;

import org.eclipse.microprofile.reactive.messaging.Message;
import org.junit.jupiter.api.Test;

import io.leadsuite.contracts.EventTypes;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.helpers.test.AssertSubscriber;
import io.vertx.core.json.JsonObject;

/** The lead-event consumer drops the types scoring does not apply before they reach a batch (and its transaction). */
class LeadEventFilterTest {

    private static final List<String> IGNORED = List.of(EventTypes.LEAD_ASSIGNED, EventTypes.LEAD_NURTURE,
            EventTypes.LEAD_SLA_BREACHED, EventTypes.LEAD_SALES_READY, EventTypes.LEAD_REJECTED, "lead.future-type");

    @Test
    void onlyTheTypesWithAnEffectGoOn() {
        for (String type : List.of(EventTypes.LEAD_CREATED, EventTypes.LEAD_CAPTURED, EventTypes.LEAD_UPDATED,
                EventTypes.LEAD_STAGE_CHANGED, EventTypes.LEAD_CLOSED, EventTypes.LEAD_ACCEPTED,
                EventTypes.LEAD_OPPORTUNITY)) {
            assertTrue(ProjectionConsumer.applies(new JsonObject().put("type", type)), type);
        }
        IGNORED.forEach(type -> assertFalse(ProjectionConsumer.applies(new JsonObject().put("type", type)), type));
        // not an envelope: it goes on, so that the handlers fail it and it ends on the DLQ
        assertTrue(ProjectionConsumer.applies(new JsonObject().put("id", "x")));
        assertTrue(ProjectionConsumer.applies(null));
    }

    @Test
    void droppedMessagesAreAcknowledgedAndReplacedSoTheDemandHolds() {
        AtomicInteger acked = new AtomicInteger();
        List<Message<JsonObject>> sent = new ArrayList<>();
        for (int i = 0; i < 1000; i++) {
            String type = i % 100 == 99 ? EventTypes.LEAD_UPDATED : IGNORED.get(i % IGNORED.size());
            sent.add(Message.of(new JsonObject().put("type", type).put("n", i), () -> {
                acked.incrementAndGet();
                return CompletableFuture.completedFuture(null);
            }));
        }
        // a consumer with room for 5 unacknowledged messages gets 5 applied ones, whatever lies between them
        AssertSubscriber<Message<JsonObject>> consumer = ProjectionConsumer.applied(Multi.createFrom().iterable(sent))
                .subscribe().withSubscriber(AssertSubscriber.create(5));
        consumer.awaitItems(5);
        assertEquals(List.of(99, 199, 299, 399, 499),
                consumer.getItems().stream().map(m -> m.getPayload().getInteger("n")).toList());
        assertEquals(495, acked.get(), "every dropped message is acknowledged, no applied one");
        consumer.request(100).awaitCompletion();
        assertEquals(10, consumer.getItems().size());
        assertEquals(990, acked.get());
    }
}
