package io.leadsuite.gateway;

import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.propagation.W3CTraceContextPropagator;
import io.opentelemetry.context.Context;
import io.vertx.core.MultiMap;

/**
 * W3C trace context for the services behind the gateway: each request is served in a span of the gateway's own
 * (OpenTelemetry's HTTP server instrumentation; a child of the caller's {@code traceparent} when it sent one), and the
 * service receives that span's {@code traceparent} in place of the caller's. With tracing off there is no span and the
 * caller's headers pass untouched. The gateway's HTTP clients do not trace on their own (tracing policy IGNORE), so
 * this is the one place the header is written.
 */
final class TraceContext {

    static final String TRACEPARENT = "traceparent";
    static final String TRACESTATE = "tracestate";

    private TraceContext() {
    }

    /** Puts the current span's {@code traceparent} (and {@code tracestate}) on the headers to a service. */
    static void propagate(MultiMap headers) {
        Context current = Context.current();
        if (!Span.fromContext(current).getSpanContext().isValid()) {
            return;
        }
        headers.remove(TRACEPARENT);
        headers.remove(TRACESTATE);
        W3CTraceContextPropagator.getInstance().inject(current, headers, MultiMap::set);
    }
}
