package io.leadsuite.gateway;

import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpClientRequest;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.tracing.TracingPolicy;

/**
 * One service behind the gateway: created once at start-up with its own connection pool ({@link HttpClient}), its
 * own {@link Forwarding} and its own circuit breaker ({@link Breaker}). The
 * breaker counts the calls that got no connection or no response headers in time; while it is open, calls fail at
 * once with {@link Breaker.Open} and the gateway answers 503.
 */
final class UpstreamService {

    static final Set<HttpMethod> IDEMPOTENT = Set.of(HttpMethod.GET, HttpMethod.HEAD, HttpMethod.PUT,
            HttpMethod.DELETE, HttpMethod.OPTIONS);

    /**
     * The client went away before the service answered (the proxy then cancels the upstream request): not the
     * service's fault, so the breaker does not count it.
     */
    static final class ClientGone extends RuntimeException {
        ClientGone(Throwable cause) {
            super("the client closed the connection", cause, false, false);
        }
    }

    /** A small answer read whole (composite views, OpenAPI documents). */
    record Fetched(int status, MultiMap headers, Buffer body) {
    }

    final Origin origin;
    final HttpClient client;
    private final Forwarding forwarding;
    private final Breaker breaker;
    private final Vertx vertx;
    private final GatewayConfig config;
    private final MeterRegistry registry;
    private final AtomicReference<Breaker.State> state = new AtomicReference<>(Breaker.State.CLOSED);
    /** Metrics timers by route template. */
    private final Map<String, RouteTimers> timers = new ConcurrentHashMap<>();

    UpstreamService(Origin origin, Vertx vertx, GatewayConfig config, MeterRegistry registry) {
        this.origin = origin;
        this.vertx = vertx;
        this.config = config;
        this.registry = registry;
        this.client = vertx.createHttpClient(new HttpClientOptions()
                .setKeepAlive(true)
                .setConnectTimeout((int) config.connectTimeout().toMillis())
                .setDecompressionSupported(false)
                // the trace context is written by TraceContext alone (no client span of Vert.x' own)
                .setTracingPolicy(TracingPolicy.IGNORE)
                .setName("gateway-" + origin.upstream().configName()),
                new PoolOptions().setHttp1MaxSize(config.maxConnectionsPerUpstream())
                        .setHttp2MaxSize(config.maxConnectionsPerUpstream()));
        GatewayConfig.Breaker breaker = config.breaker();
        this.breaker = new Breaker("gateway-" + origin.upstream().configName(), breaker.requestVolume(),
                breaker.failureRatio(), breaker.delay().toMillis(), state::set);
        this.forwarding = new Forwarding(this, config.timeout().toMillis());
        registry.gauge("leadsuite.gateway.circuit.open", io.micrometer.core.instrument.Tags.of("upstream",
                origin.upstream().configName()), state, s -> s.get() == Breaker.State.CLOSED ? 0 : 1);
    }

    long maxBodySize() {
        return config.maxBodySize().asLongValue();
    }

    String name() {
        return origin.upstream().configName();
    }

    Breaker.State breakerState() {
        return breaker.state();
    }

    Breaker breaker() {
        return breaker;
    }

    /** Streams {@code request} to this service and its answer back; {@code exchange} says where to. */
    void forward(HttpServerRequest request, Exchange exchange) {
        forwarding.forward(request, exchange);
    }

    /** A connection-backed request to this service; refused connections are retried for idempotent methods. */
    Future<HttpClientRequest> connect(Exchange exchange) {
        return attempt(exchange.idempotent ? config.retries() : 0);
    }

    private Future<HttpClientRequest> attempt(int retriesLeft) {
        long timeout = config.timeout().toMillis();
        return client.request(origin.requestOptions(timeout, config.connectTimeout().toMillis()))
                .recover(failure -> {
                    if (retriesLeft <= 0) {
                        return Future.failedFuture(failure);
                    }
                    Promise<HttpClientRequest> retried = Promise.promise();
                    vertx.setTimer(Math.max(1, config.retryDelay().toMillis()),
                            t -> attempt(retriesLeft - 1).onComplete(retried));
                    return retried.future();
                });
    }

    /**
     * Runs {@code call} through this upstream's circuit breaker: failed at once with {@link Breaker.Open} while it is
     * open; a failure counts against the service unless the client went away ({@link ClientGone}).
     */
    <T> Future<T> guarded(Supplier<Future<T>> call) {
        if (!breaker.tryAcquire()) {
            return Future.failedFuture(breaker.openException());
        }
        Future<T> result;
        try {
            result = call.get();
        } catch (RuntimeException e) {
            breaker.failed();
            return Future.failedFuture(e);
        }
        return result.andThen(outcome -> {
            if (outcome.succeeded()) {
                breaker.succeeded();
            } else if (outcome.cause() instanceof ClientGone) {
                breaker.ignored();
            } else {
                breaker.failed();
            }
        });
    }

    /**
     * A GET of {@code uri} on this service, read whole, within {@code timeoutMillis}, through the breaker. An answer
     * of any status succeeds; no connection, a time-out or an open breaker fail.
     */
    Future<Fetched> fetch(String uri, MultiMap headers, long timeoutMillis) {
        return guarded(() -> {
            RequestOptions options = origin.requestOptions(timeoutMillis, config.connectTimeout().toMillis())
                    .setMethod(HttpMethod.GET).setURI(origin.basePath() + uri).setHeaders(headers)
                    .setTimeout(timeoutMillis);
            return client.request(options)
                    .compose(request -> request.send())
                    .compose(response -> response.body()
                            .map(body -> new Fetched(response.statusCode(), response.headers(), body)));
        });
    }

    /** Records one proxied call: {@code leadsuite.gateway.upstream.requests} by upstream, route, method, status. */
    void record(Exchange exchange, String method, int status) {
        long now = System.nanoTime();
        RouteTimers timers = this.timers.get(exchange.template);
        if (timers == null) {
            timers = this.timers.computeIfAbsent(exchange.template, RouteTimers::new);
        }
        timers.requests(method, status)
                .record(exchange.sentNanos > 0 ? now - exchange.sentNanos : 0, java.util.concurrent.TimeUnit.NANOSECONDS);
        timers.overhead.record(Math.max(0, (now - exchange.startNanos)
                - (exchange.upstreamNanos > 0 && exchange.sentNanos > 0 ? exchange.upstreamNanos - exchange.sentNanos
                        : 0)),
                java.util.concurrent.TimeUnit.NANOSECONDS);
    }

    /**
     * The timers of one route template, registered once and then only looked up (a builder, its tags and the
     * registry's look-up on every call were a measurable share of the proxy's time).
     */
    private final class RouteTimers {
        final String template;
        final Timer overhead;
        /** By method and status. */
        final Map<String, Timer> requests = new ConcurrentHashMap<>();

        RouteTimers(String template) {
            this.template = template;
            this.overhead = Timer.builder("leadsuite.gateway.overhead")
                    .description("Time the gateway itself added to a proxied call (excluding the service's time)")
                    .tags("upstream", name(), "route", template)
                    .register(registry);
        }

        Timer requests(String method, int status) {
            String key = status + method;
            Timer timer = requests.get(key);
            if (timer == null) {
                timer = requests.computeIfAbsent(key, k -> Timer.builder("leadsuite.gateway.upstream.requests")
                        .description("Calls the gateway made to a service, to the service's response headers")
                        .tags("upstream", name(), "route", template, "method", method, "status",
                                String.valueOf(status))
                        .register(registry));
            }
            return timer;
        }
    }

    static boolean isTimeout(Throwable failure) {
        return failure instanceof TimeoutException
                || failure instanceof io.netty.handler.timeout.TimeoutException;
    }

    void close() {
        client.close();
    }
}
