package io.leadsuite.kit.inbox;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Function;

import org.jboss.logging.Logger;

import io.leadsuite.contracts.Envelope;
import io.leadsuite.kit.event.EventCodec;
import io.smallrye.mutiny.Uni;
import io.vertx.core.json.JsonObject;

/**
 * What a consumer does with each message type of one address, applied exactly once through the {@link Inbox}. Types
 * without a handler are acknowledged and ignored (an address carries more types than each consumer needs); a body
 * that is not a readable envelope fails, so the broker redelivers it and, in the end, dead-letters it.
 *
 * <pre>
 * handlers = inbox.handlers("lead-events")
 *         .on(EventTypes.LEAD_CREATED, LeadCreated.class, created -&gt; intake.leadCreated(created.data()));
 * ...
 * &#64;Incoming("lead-events") &#64;WithTransaction
 * public Uni&lt;Void&gt; onLeadEvent(JsonObject message) { return handlers.apply(message); }
 * </pre>
 */
public final class EventHandlers {

    private static final Logger LOG = Logger.getLogger(EventHandlers.class);

    private final String address;
    private final EventCodec codec;
    private final Inbox inbox;
    private final Map<String, Function<JsonObject, Uni<Void>>> byType;

    EventHandlers(String address, EventCodec codec, Inbox inbox, Map<String, Function<JsonObject, Uni<Void>>> byType) {
        this.address = address;
        this.codec = codec;
        this.inbox = inbox;
        this.byType = byType;
    }

    /** A copy with one more handler. */
    public <T> EventHandlers on(String type, Class<T> payload, Function<Envelope<T>, Uni<Void>> effect) {
        Map<String, Function<JsonObject, Uni<Void>>> more = new LinkedHashMap<>(byType);
        more.put(type, message -> {
            Envelope<T> envelope = codec.decode(message, payload);
            return inbox.applyOnce(envelope, () -> effect.apply(envelope));
        });
        return new EventHandlers(address, codec, inbox, Map.copyOf(more));
    }

    /** Applies the message once, inside the caller's transaction. */
    public Uni<Void> apply(JsonObject message) {
        String type = codec.typeOf(message);
        Function<JsonObject, Uni<Void>> handler = byType.get(type);
        if (handler == null) {
            LOG.debugf("Ignoring %s on %s", type, address);
            return Uni.createFrom().voidItem();
        }
        return Uni.createFrom().deferred(() -> handler.apply(message)).onFailure().invoke(failure -> LOG.warnf(failure,
                "Cannot apply %s %s on %s; the broker will redeliver it", type, message.getValue("id"), address));
    }
}
