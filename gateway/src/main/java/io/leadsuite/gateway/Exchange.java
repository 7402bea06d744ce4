package io.leadsuite.gateway;

/**
 * One request on its way through the gateway: what the interceptor of the upstream's proxy needs to know about it,
 * and when things happened (for {@code Server-Timing} and metrics).
 */
final class Exchange {

    final String requestId;
    final String traceparent;
    final Route route;
    final String template;
    final String path;
    final String upstreamUri;
    final boolean bodyless;
    final boolean idempotent;
    final long startNanos;
    /** When the request went to the service; {@code upstreamNanos} when its response headers came back. */
    volatile long sentNanos;
    volatile long upstreamNanos;
    /** Set when a streamed request body (of unannounced length) grew past the limit. */
    volatile boolean tooLarge;
    /** The request carries a body of unannounced length (chunked, or HTTP/2 without Content-Length). */
    volatile boolean streamedBody;
    /** Set on a connection to the service. */
    volatile boolean connected;

    Exchange(String requestId, String traceparent, Route route, String template, String path, String upstreamUri,
            boolean bodyless, boolean idempotent, long startNanos) {
        this.requestId = requestId;
        this.traceparent = traceparent;
        this.route = route;
        this.template = template;
        this.path = path;
        this.upstreamUri = upstreamUri;
        this.bodyless = bodyless;
        this.idempotent = idempotent;
        this.startNanos = startNanos;
    }

    /** {@code gateway;dur=<ms the gateway added>, upstream;dur=<ms the service took to its headers>}. */
    String serverTiming(long nowNanos) {
        long total = nowNanos - startNanos;
        long upstream = upstreamNanos > 0 && sentNanos > 0 ? upstreamNanos - sentNanos : 0;
        return String.format(java.util.Locale.ROOT, "gateway;dur=%.2f, upstream;dur=%.2f",
                Math.max(0, total - upstream) / 1e6, upstream / 1e6);
    }
}
