package io.leadsuite.kit.tracing;

import java.util.HashMap;
import java.util.Map;
import java.util.UUID;

import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.api.trace.propagation.W3CTraceContextPropagator;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.ContextKey;
import io.opentelemetry.context.propagation.TextMapGetter;

/**
 * How a trace crosses the outbox and the broker: the W3C {@code traceparent} of the span that wrote an event is stored
 * with its outbox row ({@link io.leadsuite.kit.outbox.Outbox}), sent by the relay as the AMQP application property
 * {@value #TRACEPARENT} ({@link io.leadsuite.kit.outbox.OutboxRelay}), and continued by the consumer that applies the
 * message ({@link io.leadsuite.kit.consumer.BatchConsumers}).
 * <p>
 * A consumer applies a batch of messages in one transaction; the events it writes then belong to the trace of the
 * message about the same subject (a lead, a contact): {@link #withMessageSpans} puts those spans in the context the
 * batch runs in, and {@link #traceparent(UUID)} finds them. With tracing off (no valid span anywhere) nothing is
 * stored, sent or started.
 */
public final class MessageTraces {

    /** The AMQP application property (and the outbox column) that carries the trace context. */
    public static final String TRACEPARENT = "traceparent";

    private static final ContextKey<Map<UUID, SpanContext>> MESSAGE_SPANS = ContextKey.named("leadsuite-message-spans");

    private static final TextMapGetter<String> ONE_VALUE = new TextMapGetter<>() {
        @Override
        public Iterable<String> keys(String carrier) {
            return java.util.List.of(TRACEPARENT);
        }

        @Override
        public String get(String carrier, String key) {
            return TRACEPARENT.equals(key) ? carrier : null;
        }
    };

    private MessageTraces() {
    }

    /**
     * The {@code traceparent} an event about {@code subject} is stored with: the span of the message about the same
     * subject when a consumer's batch writes it, else the current span; null when there is no trace (tracing off).
     */
    public static String traceparent(UUID subject) {
        Context current = Context.current();
        Map<UUID, SpanContext> messageSpans = current.get(MESSAGE_SPANS);
        SpanContext span = messageSpans == null ? null : messageSpans.get(subject);
        return format(span != null ? span : Span.fromContext(current).getSpanContext());
    }

    /** {@code 00-<trace id>-<span id>-<flags>}, or null for an invalid (absent) span. */
    public static String format(SpanContext span) {
        if (!span.isValid()) {
            return null;
        }
        Map<String, String> carrier = new HashMap<>(2);
        W3CTraceContextPropagator.getInstance().inject(Context.root().with(Span.wrap(span)), carrier, Map::put);
        return carrier.get(TRACEPARENT);
    }

    /** The remote parent a stored or received {@code traceparent} names; the root context for null or garbage. */
    public static Context parent(String traceparent) {
        if (traceparent == null) {
            return Context.root();
        }
        return W3CTraceContextPropagator.getInstance().extract(Context.root(), traceparent, ONE_VALUE);
    }

    /** {@code context} with the spans of a batch's messages by subject, for {@link #traceparent(UUID)}. */
    public static Context withMessageSpans(Context context, Map<UUID, SpanContext> bySubject) {
        return context.with(MESSAGE_SPANS, Map.copyOf(bySubject));
    }
}
