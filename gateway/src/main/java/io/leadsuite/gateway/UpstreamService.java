package io.leadsuite.gateway;

import java.time.temporal.ChronoUnit;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;

import jakarta.enterprise.util.TypeLiteral;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.smallrye.faulttolerance.api.CircuitBreakerState;
import io.smallrye.faulttolerance.api.Guard;
import io.vertx.core.Context;
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
import io.vertx.httpproxy.HttpProxy;
import io.vertx.httpproxy.ProxyOptions;
import io.vertx.httpproxy.ProxyResponse;

/**
 * One service behind the gateway: created once at start-up with its own connection pool ({@link HttpClient}), its
 * own reverse proxy ({@link HttpProxy}) and its own circuit breaker (SmallRye Fault Tolerance {@link Guard}). The
 * breaker counts the calls that got no connection or no response headers in time; while it is open, calls fail at
 * once with {@code CircuitBreakerOpenException} and the gateway answers 503.
 */
final class UpstreamService {

    static final Set<HttpMethod> IDEMPOTENT = Set.of(HttpMethod.GET, HttpMethod.HEAD, HttpMethod.PUT,
            HttpMethod.DELETE, HttpMethod.OPTIONS);
    private static final TypeLiteral<CompletionStage<ProxyResponse>> PROXY_RESPONSE = new TypeLiteral<>() {
    };
    private static final TypeLiteral<CompletionStage<Fetched>> FETCHED = new TypeLiteral<>() {
    };

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
    final HttpProxy proxy;
    private final Guard guard;
    private final Vertx vertx;
    private final GatewayConfig config;
    private final MeterRegistry registry;
    private final AtomicReference<CircuitBreakerState> state = new AtomicReference<>(CircuitBreakerState.CLOSED);
    /** Requests in flight on this upstream's proxy; the interceptor finds its exchange here. */
    private final Map<HttpServerRequest, Exchange> exchanges = new ConcurrentHashMap<>();

    UpstreamService(Origin origin, Vertx vertx, GatewayConfig config, MeterRegistry registry) {
        this.origin = origin;
        this.vertx = vertx;
        this.config = config;
        this.registry = registry;
        this.client = vertx.createHttpClient(new HttpClientOptions()
                .setKeepAlive(true)
                .setConnectTimeout((int) config.connectTimeout().toMillis())
                .setDecompressionSupported(false)
                .setName("gateway-" + origin.upstream().configName()),
                new PoolOptions().setHttp1MaxSize(config.maxConnectionsPerUpstream())
                        .setHttp2MaxSize(config.maxConnectionsPerUpstream()));
        GatewayConfig.Breaker breaker = config.breaker();
        this.guard = Guard.create()
                .withDescription("gateway-" + origin.upstream().configName())
                .withCircuitBreaker()
                .requestVolumeThreshold(breaker.requestVolume())
                .failureRatio(breaker.failureRatio())
                .delay(breaker.delay().toMillis(), ChronoUnit.MILLIS)
                .successThreshold(1)
                .skipOn(ClientGone.class)
                .onStateChange(state::set)
                .done()
                .withThreadOffload(false)
                .build();
        this.proxy = HttpProxy.reverseProxy(new ProxyOptions().setSupportWebSocket(false), client)
                .origin(ctx -> connect(ctx.request().proxiedRequest()))
                .addInterceptor(new ForwardingInterceptor(this, config.timeout().toMillis()));
        registry.gauge("leadsuite.gateway.circuit.open", io.micrometer.core.instrument.Tags.of("upstream",
                origin.upstream().configName()), state, s -> s.get() == CircuitBreakerState.CLOSED ? 0 : 1);
    }

    long maxBodySize() {
        return config.maxBodySize().asLongValue();
    }

    String name() {
        return origin.upstream().configName();
    }

    CircuitBreakerState breakerState() {
        return state.get();
    }

    /** Streams {@code request} to this service; {@code exchange} says where to and is found by the interceptor. */
    void forward(HttpServerRequest request, Exchange exchange) {
        exchanges.put(request, exchange);
        proxy.handle(request);
    }

    Exchange exchange(HttpServerRequest request) {
        return exchanges.get(request);
    }

    void done(HttpServerRequest request) {
        exchanges.remove(request);
    }

    /** A connection-backed request to this service; refused connections are retried for idempotent methods. */
    private Future<HttpClientRequest> connect(HttpServerRequest incoming) {
        Exchange exchange = exchanges.get(incoming);
        int retries = exchange != null && exchange.idempotent ? config.retries() : 0;
        return attempt(retries).onSuccess(r -> {
            if (exchange != null) {
                exchange.connected = true;
            }
        });
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

    /** Runs {@code call} through this upstream's circuit breaker, completing on the caller's Vert.x context. */
    Future<ProxyResponse> guarded(Supplier<Future<ProxyResponse>> call) {
        Context context = Vertx.currentContext();
        CompletionStage<ProxyResponse> stage;
        try {
            stage = guard.get(() -> call.get().toCompletionStage(), PROXY_RESPONSE);
        } catch (RuntimeException e) {
            return Future.failedFuture(e);
        }
        return context == null ? Future.fromCompletionStage(stage) : Future.fromCompletionStage(stage, context);
    }

    /**
     * A GET of {@code uri} on this service, read whole, within {@code timeoutMillis}, through the breaker. An answer
     * of any status succeeds; no connection, a time-out or an open breaker fail.
     */
    Future<Fetched> fetch(String uri, MultiMap headers, long timeoutMillis) {
        Context context = Vertx.currentContext();
        Supplier<CompletionStage<Fetched>> call = () -> {
            RequestOptions options = origin.requestOptions(timeoutMillis, config.connectTimeout().toMillis())
                    .setMethod(HttpMethod.GET).setURI(origin.basePath() + uri).setHeaders(headers)
                    .setTimeout(timeoutMillis);
            return client.request(options)
                    .compose(request -> request.send())
                    .compose(response -> response.body()
                            .map(body -> new Fetched(response.statusCode(), response.headers(), body)))
                    .toCompletionStage();
        };
        CompletionStage<Fetched> stage;
        try {
            stage = guard.get(call, FETCHED);
        } catch (RuntimeException e) {
            return Future.failedFuture(e);
        }
        return context == null ? Future.fromCompletionStage(stage) : Future.fromCompletionStage(stage, context);
    }

    /** Records one proxied call: {@code leadsuite.gateway.upstream.requests} by upstream, route, method, status. */
    void record(Exchange exchange, String method, int status) {
        long now = System.nanoTime();
        Timer.builder("leadsuite.gateway.upstream.requests")
                .description("Calls the gateway made to a service, to the service's response headers")
                .tags("upstream", name(), "route", exchange.template, "method", method, "status",
                        String.valueOf(status))
                .register(registry)
                .record(exchange.sentNanos > 0 ? now - exchange.sentNanos : 0, java.util.concurrent.TimeUnit.NANOSECONDS);
        Timer.builder("leadsuite.gateway.overhead")
                .description("Time the gateway itself added to a proxied call (excluding the service's time)")
                .tags("upstream", name(), "route", exchange.template)
                .register(registry)
                .record(Math.max(0, (now - exchange.startNanos)
                        - (exchange.upstreamNanos > 0 && exchange.sentNanos > 0 ? exchange.upstreamNanos - exchange.sentNanos
                                : 0)),
                        java.util.concurrent.TimeUnit.NANOSECONDS);
    }

    static boolean isTimeout(Throwable failure) {
        return failure instanceof TimeoutException
                || failure instanceof io.netty.handler.timeout.TimeoutException
                || failure instanceof org.eclipse.microprofile.faulttolerance.exceptions.TimeoutException;
    }

    void close() {
        client.close();
    }
}
