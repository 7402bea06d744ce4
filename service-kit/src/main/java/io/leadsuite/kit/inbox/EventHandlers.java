package io.leadsuite.kit.inbox;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BiFunction;
import java.util.function.Function;

import org.jboss.logging.Logger;

import io.leadsuite.contracts.Envelope;
import io.leadsuite.kit.event.EventCodec;
import io.smallrye.mutiny.Multi;
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
 * &#64;Inject &#64;Channel("lead-events") Multi&lt;Message&lt;JsonObject&gt;&gt; messages;
 * void start(&#64;Observes StartupEvent event, BatchConsumers consumers) { consumers.start("lead-events", messages, handlers::applyAll); }
 * </pre>
 */
public final class EventHandlers {

    private static final Logger LOG = Logger.getLogger(EventHandlers.class);

    private final String address;
    private final EventCodec codec;
    private final Inbox inbox;
    private final Map<String, Handler<?>> byType;
    private final Function<List<Envelope<?>>, Uni<Void>> lockFirst;
    private final Function<List<Envelope<?>>, Uni<Void>> finish;
    private final BiFunction<Envelope<Object>, JsonObject, Uni<Void>> otherwise;
    /** Whether the session is written and emptied after each message (true) or once, after the batch. */
    private final boolean settleEach;

    EventHandlers(String address, EventCodec codec, Inbox inbox, Map<String, Handler<?>> byType,
            Function<List<Envelope<?>>, Uni<Void>> lockFirst, Function<List<Envelope<?>>, Uni<Void>> finish,
            BiFunction<Envelope<Object>, JsonObject, Uni<Void>> otherwise, boolean settleEach) {
        this.address = address;
        this.codec = codec;
        this.inbox = inbox;
        this.byType = byType;
        this.lockFirst = lockFirst;
        this.finish = finish;
        this.otherwise = otherwise;
        this.settleEach = settleEach;
    }

    /** What to do with one type: how to read its payload and its effect. */
    private record Handler<T>(Class<T> payload, Function<Envelope<T>, Uni<Void>> effect) {

        @SuppressWarnings("unchecked")
        Uni<Void> run(Envelope<?> envelope) {
            return effect.apply((Envelope<T>) envelope);
        }
    }

    /** A decoded message of a batch, as received, and its handler (null: the catch-all one). */
    private record Decoded(Envelope<?> envelope, JsonObject body, Handler<?> handler) {
    }

    /** A copy with one more handler. */
    public <T> EventHandlers on(String type, Class<T> payload, Function<Envelope<T>, Uni<Void>> effect) {
        Map<String, Handler<?>> more = new LinkedHashMap<>(byType);
        more.put(type, new Handler<>(payload, effect));
        return new EventHandlers(address, codec, inbox, Map.copyOf(more), lockFirst, finish, otherwise, settleEach);
    }

    /**
     * A copy that applies every type without a handler of its own with {@code effect}, which gets the envelope (its
     * data as read from JSON) and the body as received.
     */
    public EventHandlers otherwise(BiFunction<Envelope<Object>, JsonObject, Uni<Void>> effect) {
        return new EventHandlers(address, codec, inbox, byType, lockFirst, finish, effect, settleEach);
    }

    /**
     * A copy that, before any effect of a batch runs, takes every lock the batch's effects will take, in the
     * service's global lock order. Effects applied one after the other in one transaction would otherwise take their
     * locks in message order, and two transactions that do that deadlock.
     */
    public EventHandlers lockFirst(Function<List<Envelope<?>>, Uni<Void>> locks) {
        return new EventHandlers(address, codec, inbox, byType, locks, finish, otherwise, settleEach);
    }

    /**
     * A copy that, after the last effect of a batch and in the same transaction, runs {@code work} once with the
     * messages the batch applied (those not applied before), in order: for work that costs as much for many subjects as
     * for one (a set-based pass), which the effects leave to it instead of doing it once per message.
     */
    public EventHandlers finishWith(Function<List<Envelope<?>>, Uni<Void>> work) {
        return new EventHandlers(address, codec, inbox, byType, lockFirst, work, otherwise, settleEach);
    }

    /**
     * A copy whose messages share one session for the whole batch: what {@link #lockFirst} loaded and what each
     * effect changed stay in it and are written once, after the last message (Hibernate sends the updates in
     * statement batches, and an entity that several messages change is written once). By default the session is
     * written and emptied after each message instead. Only for effects that read what an earlier message may have
     * changed through the session (entities, queries, which flush first), never with plain SQL ({@code SessionSql}),
     * which does not see changes not written yet.
     */
    public EventHandlers settleOnce() {
        return new EventHandlers(address, codec, inbox, byType, lockFirst, finish, otherwise, false);
    }

    /** Applies one message once, inside the caller's transaction. */
    public Uni<Void> apply(JsonObject message) {
        return applyAll(List.of(message));
    }

    /**
     * Applies a batch of messages in order, each once, inside the caller's transaction: the inbox records the whole
     * batch in one statement, then the effects of the messages not applied before run one after the other. Fails if
     * any message is not a readable envelope or its effect fails (the caller then isolates it).
     */
    public Uni<Void> applyAll(List<JsonObject> messages) {
        List<Decoded> decoded = new ArrayList<>(messages.size());
        for (JsonObject message : messages) {
            String type = codec.typeOf(message);
            Handler<?> handler = byType.get(type);
            if (handler != null) {
                decoded.add(new Decoded(codec.decode(message, handler.payload()), message, handler));
            } else if (otherwise != null) {
                decoded.add(new Decoded(codec.decode(message, Object.class), message, null));
            } else {
                LOG.debugf("Ignoring %s on %s", type, address);
            }
        }
        if (decoded.isEmpty()) {
            return Uni.createFrom().voidItem();
        }
        return inbox.claim(decoded.stream().map(Decoded::envelope).toList()).chain(claimed -> {
            // in message order, each id once: a message the batch holds twice is applied at its first place
            List<Decoded> fresh = decoded.stream().filter(message -> claimed.remove(message.envelope().id()))
                    .toList();
            List<Envelope<?>> applied = fresh.stream().<Envelope<?>> map(Decoded::envelope).toList();
            return lockFirst.apply(applied)
                    .chain(() -> Multi.createFrom().iterable(fresh)
                            .onItem().transformToUniAndConcatenate(message -> Uni.createFrom()
                                    .deferred(() -> run(message))
                                    .call(() -> settleEach ? Inbox.settle() : Uni.createFrom().voidItem())
                                    .onFailure().invoke(failure -> LOG.debugf(failure, "Cannot apply %s %s on %s",
                                            message.envelope().type(), message.envelope().id(), address)))
                            .collect().last().replaceWithVoid())
                    .chain(() -> finish.apply(applied))
                    // the batch's last writes, in either mode (each message's were settled after it)
                    .call(Inbox::settle);
        });
    }

    @SuppressWarnings("unchecked")
    private Uni<Void> run(Decoded message) {
        return message.handler() != null ? message.handler().run(message.envelope())
                : otherwise.apply((Envelope<Object>) message.envelope(), message.body());
    }
}
