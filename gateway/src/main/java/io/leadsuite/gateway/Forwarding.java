package io.leadsuite.gateway;

import java.net.URI;
import java.net.URISyntaxException;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Locale;
import java.util.Map;

import org.jboss.logging.Logger;

import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClientRequest;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.http.HttpVersion;
import io.vertx.core.http.StreamResetException;
import io.vertx.core.streams.ReadStream;

/**
 * Streams one request on to its upstream and the answer back: the URI rewritten ({@code /api} stripped), the
 * hop-by-hop headers dropped both ways, the request id and the gateway's trace context passed on, a {@code Location}
 * that points at the upstream rewritten into the gateway's own address space, and an upstream that cannot be reached
 * (503), does not answer in time (504) or breaks off (502) turned into a problem+json answer.
 * <p>
 * Written on Vert.x' {@code HttpClient} directly rather than on vertx-http-proxy: that library copied every header
 * twice per request, parsed cache headers and formatted a date on every answer and chained a dozen futures; without it
 * the gateway spends about a tenth less CPU per proxied request (benchmarks/RESULTS.md, "the gateway forwarding on
 * Vert.x' HTTP client"). The service sees its own host in {@code Host} (the links it builds point at itself, and are
 * rewritten here) and bodies stream both ways with back-pressure, never buffered whole.
 */
final class Forwarding {

    private static final Logger LOG = Logger.getLogger(Forwarding.class);

    /** Headers that describe one connection, not the message (RFC 9110 7.6.1), plus {@code Host}, set apart. */
    private static final MultiMap HOP_BY_HOP = MultiMap.caseInsensitiveMultiMap()
            .add(HttpHeaders.CONNECTION, "")
            .add(HttpHeaders.KEEP_ALIVE, "")
            .add(HttpHeaders.PROXY_AUTHENTICATE, "")
            .add(HttpHeaders.PROXY_AUTHORIZATION, "")
            .add("te", "")
            .add("trailer", "")
            .add(HttpHeaders.TRANSFER_ENCODING, "")
            .add(HttpHeaders.UPGRADE, "")
            .add(HttpHeaders.HOST, "");

    private final UpstreamService upstream;
    private final Origin origin;
    private final long timeoutMillis;

    Forwarding(UpstreamService upstream, long timeoutMillis) {
        this.upstream = upstream;
        this.origin = upstream.origin;
        this.timeoutMillis = timeoutMillis;
    }

    /** Sends {@code in} (paused, nothing of its body read) to the upstream and its answer back to the client. */
    void forward(HttpServerRequest in, Exchange exchange) {
        if (!upstream.breaker().tryAcquire()) {
            fail(in, exchange, null, upstream.breaker().openException());
            return;
        }
        upstream.connect(exchange).onComplete(connected -> {
            if (connected.failed()) {
                upstream.breaker().failed();
                fail(in, exchange, null, connected.cause());
            } else {
                send(in, exchange, connected.result());
            }
        });
    }

    private void send(HttpServerRequest in, Exchange exchange, HttpClientRequest out) {
        HttpServerResponse answer = in.response();
        // a reset of this request (the client went away) is handled where the reset is made and in the response's
        // failure below; without a handler Vert.x would log each one as an error
        out.exceptionHandler(failure -> {
        });
        if (answer.closed()) {
            // the client hung up while its request waited for a pooled connection: nothing goes to the service
            out.reset();
            upstream.breaker().ignored();
            fail(in, exchange, out, new UpstreamService.ClientGone(null));
            return;
        }
        out.setMethod(in.method()).setURI(exchange.upstreamUri);
        MultiMap headers = out.headers();
        for (Map.Entry<String, String> header : in.headers()) {
            if (!HOP_BY_HOP.contains(header.getKey())) {
                headers.add(header.getKey(), header.getValue());
            }
        }
        headers.set(ApiGateway.X_REQUEST_ID, exchange.requestId);
        TraceContext.propagate(headers);
        // A client that hangs up once its request has gone on does not cut the upstream request: the service works on
        // it anyway, and cutting the connection would hand its pool slot to the next request at once, so a burst of
        // hang-ups (ClientHangUpIT's 2,000 abandoned captures) would put more requests on the service than the pool
        // allows. The answer is dropped when it comes (respond), or the time-out ends the request.
        // A body that breaks off is another matter: the pipe below resets the request.
        out.response().onComplete(result -> {
            if (result.succeeded()) {
                upstream.breaker().succeeded();
                respond(in, exchange, out, result.result());
            } else {
                // a stream reset is this gateway resetting the upstream request itself, because the client's body
                // broke off (a hang-up, whose close may not be flagged yet) or went over the limit: not the service's
                // fault
                Throwable failure = answer.closed() || result.cause() instanceof StreamResetException
                        ? new UpstreamService.ClientGone(result.cause())
                        : result.cause();
                if (failure instanceof UpstreamService.ClientGone) {
                    upstream.breaker().ignored();
                } else {
                    upstream.breaker().failed();
                }
                fail(in, exchange, out, failure);
            }
        });
        exchange.sentNanos = System.nanoTime();
        if (exchange.bodyless) {
            out.end();
            in.resume();
            return;
        }
        ReadStream<Buffer> body = in;
        if (exchange.streamedBody) {
            // a body of unannounced length (chunked, HTTP/2) goes on in chunks and is counted as it streams; over the
            // limit, the upstream request is reset and the client gets 413
            out.setChunked(true);
            body = new LimitedStream(in, upstream.maxBodySize(), () -> exchange.tooLarge = true);
        }
        // a body that breaks off must not reach the service as a complete one: reset, never end
        body.pipe().endOnFailure(false).to(out).onFailure(failure -> out.reset(0, failure));
    }

    private void respond(HttpServerRequest in, Exchange exchange, HttpClientRequest out, HttpClientResponse response) {
        long now = System.nanoTime();
        if (exchange.upstreamNanos == 0) {
            exchange.upstreamNanos = now;
        }
        HttpServerResponse answer = in.response();
        upstream.record(exchange, in.method().name(), response.statusCode());
        if (answer.closed()) {
            // nobody to answer: the rest of the answer is read and dropped, and its connection goes back to the pool
            response.exceptionHandler(failure -> {
            });
            response.handler(null).resume();
            return;
        }
        answer.setStatusCode(response.statusCode());
        if (response.statusMessage() != null) {
            answer.setStatusMessage(response.statusMessage());
        }
        MultiMap headers = answer.headers();
        boolean dated = false;
        for (Map.Entry<String, String> header : response.headers()) {
            String name = header.getKey();
            if (HOP_BY_HOP.contains(name) || name.equalsIgnoreCase(ApiGateway.X_REQUEST_ID)) {
                // the gateway's request id is already on the response; an upstream echo must not add a second one
                continue;
            }
            if (name.equalsIgnoreCase(HttpHeaders.LOCATION.toString())) {
                headers.add(name, rewriteLocation(header.getValue(), in));
                continue;
            }
            dated |= name.equalsIgnoreCase(HttpHeaders.DATE.toString());
            headers.add(name, header.getValue());
        }
        if (!dated) {
            // a proxy adds the Date an origin did not send (RFC 9110 6.6.1)
            headers.set(HttpHeaders.DATE, HttpDate.now());
        }
        headers.set(ApiGateway.SERVER_TIMING, exchange.serverTiming(now));
        if (response.getHeader(HttpHeaders.CONTENT_LENGTH) == null) {
            if (in.version() == HttpVersion.HTTP_1_0) {
                // an HTTP/1.0 client cannot read chunks: the body is read whole and sent with its length
                response.body().onSuccess(answer::end).onFailure(failure -> answer.reset());
                return;
            }
            answer.setChunked(true);
        }
        response.pipe().endOnFailure(false).to(answer).onFailure(failure -> {
            out.reset(0, failure);
            answer.reset();
        });
    }

    /**
     * The client's answer when the call failed: a problem, unless the client has gone. Whatever of the body the
     * service did not take is read and dropped, so that the client's connection stays usable.
     */
    private void fail(HttpServerRequest in, Exchange exchange, HttpClientRequest out, Throwable failure) {
        String service = origin.upstream().configName();
        int status;
        String kind;
        String title;
        String detail;
        if (exchange.tooLarge) {
            status = 413;
            kind = "payload-too-large";
            title = "Payload too large";
            detail = "The request body exceeds " + upstream.maxBodySize() + " bytes";
        } else if (failure instanceof Breaker.Open) {
            status = 503;
            kind = "upstream-unavailable";
            title = "Service unavailable";
            detail = service + " is failing; the gateway stopped calling it for a moment (circuit open)";
        } else if (out == null) {
            status = 503;
            kind = "upstream-unavailable";
            title = "Service unavailable";
            detail = service + " cannot be reached; try again later";
        } else if (UpstreamService.isTimeout(failure)) {
            status = 504;
            kind = "upstream-timeout";
            title = "Gateway timeout";
            detail = service + " did not answer within " + timeoutMillis + " ms";
        } else {
            status = 502;
            kind = "bad-gateway";
            title = "Bad gateway";
            detail = service + " broke off the exchange";
        }
        LOG.warnf("%s %s -> %s: %d (%s) [request %s]", in.method(), exchange.path, service, status,
                failure.getMessage(), exchange.requestId);
        upstream.record(exchange, in.method().name(), status);
        if (!in.isEnded()) {
            in.resume();
        }
        HttpServerResponse answer = in.response();
        if (answer.closed() || answer.headWritten()) {
            // the client hung up, or the answer has begun: nobody can read a problem now
            return;
        }
        answer.putHeader(ApiGateway.SERVER_TIMING, exchange.serverTiming(System.nanoTime()));
        if (status == 503) {
            answer.putHeader(HttpHeaders.RETRY_AFTER, "5");
        }
        if (status == 413) {
            answer.putHeader(HttpHeaders.CONNECTION, "close");
        }
        Problems.send(answer, kind, title, status, detail, exchange.path, exchange.requestId);
    }

    /**
     * A {@code Location} on the upstream (absolute, or a path) becomes the same resource under {@code /api} on the
     * gateway, with the scheme and host the client used; any other location passes unchanged.
     */
    String rewriteLocation(String location, HttpServerRequest client) {
        URI uri;
        try {
            uri = new URI(location);
        } catch (URISyntaxException e) {
            return location;
        }
        if (uri.isAbsolute() ? !origin.serves(uri) : uri.getRawPath() == null || !uri.getRawPath().startsWith("/")) {
            return location;
        }
        String path = uri.getRawPath();
        if (!origin.basePath().isEmpty()) {
            if (!path.startsWith(origin.basePath() + "/")) {
                return location;
            }
            path = path.substring(origin.basePath().length());
        }
        StringBuilder rewritten = new StringBuilder();
        String host = client.host();
        if (host != null) {
            rewritten.append(client.scheme()).append("://").append(host);
        }
        rewritten.append(Route.API).append(path);
        if (uri.getRawQuery() != null) {
            rewritten.append('?').append(uri.getRawQuery());
        }
        if (uri.getRawFragment() != null) {
            rewritten.append('#').append(uri.getRawFragment());
        }
        return rewritten.toString();
    }

    /** The {@code Date} header's value for the current second, formatted once per second. */
    static final class HttpDate {

        private static final DateTimeFormatter FORMAT = DateTimeFormatter
                .ofPattern("EEE, dd MMM yyyy HH:mm:ss 'GMT'", Locale.ENGLISH).withZone(ZoneOffset.UTC);

        private record Stamp(long second, String text) {
        }

        private static volatile Stamp last = new Stamp(-1, "");

        private HttpDate() {
        }

        static String now() {
            long second = System.currentTimeMillis() / 1000;
            Stamp stamp = last;
            if (stamp.second() != second) {
                stamp = new Stamp(second, FORMAT.format(Instant.ofEpochSecond(second)));
                last = stamp;
            }
            return stamp.text();
        }
    }
}
