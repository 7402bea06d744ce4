package io.leadsuite.gateway;

/**
 * One request on its way through the gateway: what {@link Forwarding} needs to know about it to send it on, and
 * when things happened (for {@code Server-Timing} and metrics).
 */
final class Exchange {

    final String requestId;
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

    Exchange(String requestId, Route route, String template, String path, String upstreamUri,
            boolean bodyless, boolean idempotent, long startNanos) {
        this.requestId = requestId;
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
        StringBuilder timing = new StringBuilder(48).append("gateway;dur=");
        millis(timing, Math.max(0, total - upstream)).append(", upstream;dur=");
        return millis(timing, upstream).toString();
    }

    /**
     * Appends {@code nanos} as milliseconds with two decimals ({@code 1.25}), rounded half up; what
     * {@code String.format("%.2f")} wrote, without its parsing and locale look-ups on every request.
     */
    static StringBuilder millis(StringBuilder out, long nanos) {
        long hundredths = (Math.max(0, nanos) + 5_000) / 10_000;
        long fraction = hundredths % 100;
        return out.append(hundredths / 100).append('.').append(fraction < 10 ? "0" : "").append(fraction);
    }
}
