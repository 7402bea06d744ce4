package io.leadsuite.gateway;

import java.util.EnumMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.BiConsumer;
import java.util.regex.Pattern;

import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import org.jboss.logging.Logger;

import io.leadsuite.contracts.Roles;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.security.AuthenticationFailedException;
import io.quarkus.security.identity.SecurityIdentity;
import io.quarkus.vertx.http.runtime.RouteConstants;
import io.quarkus.vertx.http.runtime.security.QuarkusHttpUser;
import io.smallrye.mutiny.Uni;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpVersion;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;

/**
 * The gateway's front door: every request under {@code /api} gets a request id, passes the size
 * limits, is authenticated (JWT) and authorised (roles) and rate-limited here, and only then is it streamed to the
 * service that owns it (see {@link Route}) or answered by the gateway's own views (overview, stream, OpenAPI, forms).
 */
@ApplicationScoped
public class ApiGateway {

    private static final Logger LOG = Logger.getLogger(ApiGateway.class);

    public static final String X_REQUEST_ID = "X-Request-Id";
    public static final String SERVER_TIMING = "Server-Timing";
    /** A client's request id is kept when it is this harmless; otherwise the gateway makes its own. */
    private static final Pattern SAFE_REQUEST_ID = Pattern.compile("[A-Za-z0-9._:@/+=-]{1,128}");

    /** Where Quarkus' HTTP metrics look for a route template (as Quarkus REST sets it). */
    private static final String URL_PATH_TEMPLATE = "UrlPathTemplate";
    private static final Set<HttpMethod> BODYLESS = Set.of(HttpMethod.GET, HttpMethod.HEAD, HttpMethod.OPTIONS,
            HttpMethod.TRACE);
    static final String START = "leadsuite.start";
    static final String REQUEST_ID = "leadsuite.request-id";
    /**
     * The fast lane's place in Quarkus' router: after the CORS filter (order -300, filter priority 300) and before
     * authentication (-200), the REST layer's route-template look-up and the HTTP permission check (-100).
     */
    static final int FAST_LANE_ORDER = -250;
    private static final Pattern OVERVIEW = Pattern.compile(Route.API + "/contacts/[^/]+/overview");
    /** The public route a person confirms marketing consent with (the token from the confirmation e-mail). */
    static final String CONSENT_CONFIRM = "/consent/confirm";
    private static final Route CONSENT = new Route("consent", Upstream.CONTACT_SERVICE, CONSENT_CONFIRM);

    /** Something the gateway does for an authorised caller. */
    @FunctionalInterface
    interface Action {
        void run(RoutingContext rc, SecurityIdentity identity);
    }

    private final GatewayConfig config;
    private final Vertx vertx;
    private final MeterRegistry registry;
    private final Map<Upstream, UpstreamService> upstreams = new EnumMap<>(Upstream.class);
    private final RateLimiter rateLimiter = new RateLimiter();
    private final VerifiedTokens verifiedTokens;
    private final ClientAddress clients;
    private long sweeper = -1;

    ApiGateway(GatewayConfig config, Vertx vertx, MeterRegistry registry) {
        this.config = config;
        this.vertx = vertx;
        this.registry = registry;
        this.verifiedTokens = new VerifiedTokens(config.verifiedTokensMaxMemory().asLongValue());
        this.clients = new ClientAddress(config.trustedProxies().orElse(java.util.List.of()));
    }

    /** The client address behind the trusted proxies, for the public routes' rate limits. */
    ClientAddress clients() {
        return clients;
    }

    /** The upstream services, created once (pool, proxy and breaker each). */
    synchronized Map<Upstream, UpstreamService> upstreams() {
        if (upstreams.isEmpty()) {
            GatewayConfig.Upstreams urls = config.upstreams();
            add(Origin.of(Upstream.CONTACT_SERVICE, urls.contactService()));
            add(Origin.of(Upstream.LEAD_SERVICE, urls.leadService()));
            add(Origin.of(Upstream.SCORING_SERVICE, urls.scoringService()));
            upstreams.values().forEach(u -> LOG.infof("%s -> %s", u.name(), u.origin.base()));
        }
        return upstreams;
    }

    private void add(Origin origin) {
        upstreams.put(origin.upstream(), new UpstreamService(origin, vertx, config, registry));
    }

    UpstreamService upstream(Upstream upstream) {
        return upstreams().get(upstream);
    }

    RateLimiter rateLimiter() {
        return rateLimiter;
    }

    void register(@Observes Router router, Overview overview, LiveStream stream, CombinedOpenApi openApi,
            FormCaptures forms) {
        upstreams();
        int order = RouteConstants.ROUTE_ORDER_BEFORE_DEFAULT;
        router.get(Route.API + "/openapi").order(order).handler(rc -> open(rc, "/api/openapi", openApi::handle));
        router.post(Route.API + "/forms/captures").order(order)
                .handler(rc -> open(rc, "/api/forms/captures", forms::handle));
        router.post(Route.API + CONSENT_CONFIRM).order(order)
                .handler(rc -> open(rc, Route.API + CONSENT_CONFIRM, this::confirmConsent));
        router.get(Route.API + "/stream").order(order)
                .handler(rc -> guarded(rc, "/api/stream", "stream", Roles.ALL, stream::handle));
        router.getWithRegex(Route.API + "/contacts/[^/]+/overview").order(order)
                .handler(rc -> guarded(rc, "/api/contacts/{id}/overview", "contacts", Roles.ALL, overview::handle));
        router.route(Route.API).order(order).handler(rc -> proxy(rc, null));
        router.route(Route.API + "/*").order(order).handler(rc -> proxy(rc, null));
        router.route(Route.API + "/*").order(FAST_LANE_ORDER).handler(this::fastLane);
        sweeper = vertx.setPeriodic(60_000, t -> {
            rateLimiter.sweep();
            verifiedTokens.cleanUp();
        });
    }

    @PreDestroy
    void close() {
        if (sweeper >= 0) {
            vertx.cancelTimer(sweeper);
        }
        upstreams.values().forEach(UpstreamService::close);
    }

    /**
     * Request id, timing and the size limits; false when the request has been answered.
     * {@code timingOnHeaders}: a {@code Server-Timing} for whatever answer this request gets (the gateway's own views);
     * proxied requests get theirs from {@link Forwarding} or from {@link #answer}.
     */
    private boolean admit(RoutingContext rc, String template, boolean timingOnHeaders) {
        HttpServerRequest request = rc.request();
        // nothing of the body may be read (or lost) before it is streamed on
        request.pause();
        long start = System.nanoTime();
        rc.put(START, start);
        String requestId = requestId(request);
        rc.put(REQUEST_ID, requestId);
        rc.response().putHeader(X_REQUEST_ID, requestId);
        if (timingOnHeaders) {
            rc.response().headersEndHandler(v -> putServerTiming(rc));
        }
        Context context = Vertx.currentContext();
        if (context != null) {
            // the uri tag of http_server_requests: one per route, not one per lead id
            context.putLocal(URL_PATH_TEMPLATE, template);
        }
        long headerBytes = request.uri().length() + 16;
        for (Map.Entry<String, String> h : request.headers()) {
            headerBytes += h.getKey().length() + h.getValue().length() + 4;
        }
        if (headerBytes > config.maxHeaderSize().asLongValue()) {
            answer(rc, "headers-too-large", "Request header fields too large", 431,
                    "The request line and headers exceed " + config.maxHeaderSize().asLongValue() + " bytes");
            return false;
        }
        String length = request.getHeader(HttpHeaders.CONTENT_LENGTH);
        if (length != null) {
            long declared;
            try {
                declared = Long.parseLong(length.trim());
            } catch (NumberFormatException e) {
                answer(rc, "bad-request", "Bad request", 400, "Content-Length is not a number");
                return false;
            }
            if (declared > config.maxBodySize().asLongValue()) {
                rc.response().putHeader(HttpHeaders.CONNECTION, "close");
                answer(rc, "payload-too-large", "Payload too large", 413,
                        "The request body exceeds " + config.maxBodySize().asLongValue() + " bytes");
                return false;
            }
        }
        return true;
    }

    /** A public route of the gateway's own: no token needed (forms have their own key and limits). */
    private void open(RoutingContext rc, String template, Action action) {
        if (admit(rc, template, true)) {
            run(rc, action, null);
        }
    }

    /**
     * {@code POST /api/consent/confirm}: no token (the person clicking the link in the confirmation e-mail has none);
     * rate-limited per client address (behind the trusted proxies), then streamed to contact-service, which checks the
     * confirmation token.
     */
    private void confirmConsent(RoutingContext rc, SecurityIdentity ignored) {
        if (rateLimited(rc, new RateLimiter.Key("consent", clients.of(rc.request()), ""),
                config.forms().confirmationsPerMinute())) {
            forward(rc, CONSENT, Route.API + CONSENT_CONFIRM, Route.API + CONSENT_CONFIRM);
        }
    }

    /** A route of the gateway's own that needs a token with one of {@code roles}. */
    private void guarded(RoutingContext rc, String template, String group, Set<String> roles, Action action) {
        if (admit(rc, template, true)) {
            authenticate(rc, caller -> {
                if (permitted(rc, caller, roles, group)) {
                    run(rc, action, caller.identity());
                }
            });
        }
    }

    /**
     * The fast lane: a proxied request whose bearer token the gateway has verified before is served here, ahead of
     * Quarkus' authentication handler, REST route-template look-up and permission check, none of which such a request
     * needs (its identity is known; the roles, rate limit and breaker are checked below as on the other lane). Every
     * other request (no token, a token not seen yet, the gateway's own views, paths no service serves) goes on to the
     * routes registered in {@link #register}, which authenticate it in full. The CORS filter has run before either.
     */
    private void fastLane(RoutingContext rc) {
        String token = VerifiedTokens.bearer(rc.request());
        VerifiedTokens.Caller caller = token == null ? null : verifiedTokens.get(token);
        if (caller == null) {
            rc.next();
            return;
        }
        String path = rc.normalizedPath();
        Optional<Route> route = Route.resolve(path);
        if (route.isEmpty() || route.get().group().equals("contacts") && OVERVIEW.matcher(path).matches()) {
            rc.next();
            return;
        }
        proxy(rc, caller, path, route);
    }

    /** A request for a service: admitted, authenticated (unless {@code known}), authorised, then forwarded. */
    private void proxy(RoutingContext rc, VerifiedTokens.Caller known) {
        String path = rc.normalizedPath();
        proxy(rc, known, path, Route.resolve(path));
    }

    private void proxy(RoutingContext rc, VerifiedTokens.Caller known, String path, Optional<Route> route) {
        String method = rc.request().method().name();
        // the role table is searched once per request: the rule gives the metrics template and the roles
        Route.Rule rule = route.isPresent() ? route.get().rule(method) : null;
        String template = route.isPresent() ? route.get().template(rule) : Route.UNKNOWN_TEMPLATE;
        if (!admit(rc, template, false)) {
            return;
        }
        java.util.function.Consumer<VerifiedTokens.Caller> authorised = caller -> {
            Set<String> allowed = route.isPresent() ? route.get().allowedRoles(rule) : Roles.ALL;
            if (!permitted(rc, caller, allowed, route.isPresent() ? route.get().group() : "unknown")) {
                return;
            }
            if (route.isEmpty()) {
                answer(rc, "not-found", "Not found", 404, "No service serves " + path);
                return;
            }
            run(rc, (ctx, id) -> forward(ctx, route.get(), template, path), caller.identity());
        };
        if (known != null) {
            authorised.accept(known);
        } else {
            authenticate(rc, authorised);
        }
    }

    private void run(RoutingContext rc, Action action, SecurityIdentity identity) {
        try {
            action.run(rc, identity);
        } catch (RuntimeException e) {
            LOG.errorf(e, "Cannot serve %s [request %s]", rc.normalizedPath(), requestId(rc));
            answer(rc, "internal", "Internal error", 500, "The gateway failed; request id " + requestId(rc));
        }
    }

    /** Lazy JWT authentication; failures become 401 problem+json. */
    private void authenticate(RoutingContext rc, java.util.function.Consumer<VerifiedTokens.Caller> next) {
        String token = VerifiedTokens.bearer(rc.request());
        VerifiedTokens.Caller known = token == null ? null : verifiedTokens.get(token);
        if (known != null) {
            next.accept(known);
            return;
        }
        Context context = Vertx.currentContext();
        // lazy authentication: failures are answered below as problem+json, not by the default handler
        rc.put(QuarkusHttpUser.AUTH_FAILURE_HANDLER, (BiConsumer<RoutingContext, Throwable>) (ctx, failure) -> {
        });
        Uni<SecurityIdentity> identity = QuarkusHttpUser.getSecurityIdentity(rc, null);
        identity.subscribe().with(
                id -> onContext(context, () -> {
                    if (id == null || id.isAnonymous()) {
                        unauthorised(rc, "A bearer token is required", "Bearer");
                    } else {
                        VerifiedTokens.Caller caller = VerifiedTokens.Caller.of(id);
                        if (token != null) {
                            verifiedTokens.put(token, caller);
                        }
                        next.accept(caller);
                    }
                }),
                failure -> onContext(context, () -> {
                    if (failure instanceof AuthenticationFailedException) {
                        LOG.debugf("Authentication failed [request %s]: %s", requestId(rc), failure.getMessage());
                    } else {
                        LOG.warnf(failure, "Authentication could not be completed [request %s]", requestId(rc));
                    }
                    unauthorised(rc, "The bearer token is malformed, expired or not trusted",
                            "Bearer error=\"invalid_token\"");
                }));
    }

    /** The role check (403) and the rate limit of the caller on the route group (429). */
    private boolean permitted(RoutingContext rc, VerifiedTokens.Caller caller, Set<String> allowed, String group) {
        if (!anyOf(allowed, caller.roles())) {
            answer(rc, "forbidden", "Forbidden", 403,
                    "This route needs one of the roles " + String.join(", ", new TreeSet<>(allowed)));
            return false;
        }
        long perMinute = config.rateLimit().routes().getOrDefault(group, config.rateLimit().perMinute());
        return rateLimited(rc, new RateLimiter.Key("sub", caller.subject(), group), perMinute);
    }

    private static boolean anyOf(Set<String> allowed, Set<String> roles) {
        for (String role : allowed) {
            if (roles.contains(role)) {
                return true;
            }
        }
        return false;
    }

    /** Takes a token of {@code key}'s bucket; answers 429 with {@code Retry-After} when there is none. */
    boolean rateLimited(RoutingContext rc, RateLimiter.Key key, long perMinute) {
        RateLimiter.Decision decision = rateLimiter.take(key, perMinute);
        if (!decision.allowed()) {
            rc.response().putHeader(HttpHeaders.RETRY_AFTER, String.valueOf(decision.retryAfterSeconds()));
            registry.counter("leadsuite.gateway.rate-limited", "route",
                    String.valueOf(Vertx.currentContext() == null ? "" : Vertx.currentContext().getLocal(URL_PATH_TEMPLATE)))
                    .increment();
            answer(rc, "too-many-requests", "Too many requests", 429,
                    "Rate limit of " + perMinute + " requests per minute reached; retry after "
                            + decision.retryAfterSeconds() + " s");
            return false;
        }
        return true;
    }

    private void forward(RoutingContext rc, Route route, String template, String path) {
        HttpServerRequest request = rc.request();
        UpstreamService upstream = upstreams().get(route.upstream());
        String query = request.query();
        boolean bodyless;
        String upstreamUri = query == null ? upstream.origin.basePath() + route.upstreamPath()
                : upstream.origin.basePath() + route.upstreamPath() + "?" + query;
        boolean announced = request.getHeader(HttpHeaders.CONTENT_LENGTH) != null;
        boolean chunked = !announced
                && HttpHeaders.CHUNKED.toString().equalsIgnoreCase(request.getHeader(HttpHeaders.TRANSFER_ENCODING));
        if (request.version() == HttpVersion.HTTP_2) {
            // HTTP/2 frames a body without announcing its length; HTTP/1.1 to the upstream needs chunks for that.
            // Methods that carry no body are sent without one.
            bodyless = !announced && BODYLESS.contains(request.method());
            chunked = !announced && !bodyless;
        } else {
            // HTTP/1.x: a request with neither Content-Length nor chunked Transfer-Encoding has no body (RFC 9112
            // 6.3), so the upstream request is sent whole at once instead of piping an empty body after its head
            bodyless = !announced && !chunked;
        }
        Exchange exchange = new Exchange(requestId(rc), route, template, path, upstreamUri,
                bodyless, UpstreamService.IDEMPOTENT.contains(request.method()), rc.get(START));
        exchange.streamedBody = chunked;
        upstream.forward(request, exchange);
    }

    private static void unauthorised(RoutingContext rc, String detail, String challenge) {
        rc.response().putHeader("WWW-Authenticate", challenge);
        answer(rc, "unauthorized", "Authentication required", 401, detail);
    }

    static String requestId(RoutingContext rc) {
        return rc.get(REQUEST_ID);
    }

    /** An answer of the gateway's own; the unread request body is drained so the connection stays usable. */
    static void answer(RoutingContext rc, String kind, String title, int status, String detail) {
        rc.request().resume();
        if (!rc.response().headWritten()) {
            putServerTiming(rc);
        }
        Problems.send(rc.response(), kind, title, status, detail, rc.normalizedPath(), requestId(rc));
    }

    /** {@code Server-Timing: gateway;dur=<ms since the request arrived>} on an answer of the gateway's own. */
    private static void putServerTiming(RoutingContext rc) {
        Long start = rc.get(START);
        if (start != null && !rc.response().headers().contains(SERVER_TIMING)) {
            rc.response().putHeader(SERVER_TIMING,
                    Exchange.millis(new StringBuilder(24).append("gateway;dur="), System.nanoTime() - start).toString());
        }
    }

    private static String requestId(HttpServerRequest request) {
        String sent = request.getHeader(X_REQUEST_ID);
        return sent != null && SAFE_REQUEST_ID.matcher(sent).matches() ? sent : randomUuid();
    }

    /**
     * A random (version 4) UUID from {@link ThreadLocalRandom}: a request id must be unique, not unguessable, and
     * {@link UUID#randomUUID()} draws on the shared {@code SecureRandom} on every request.
     */
    static String randomUuid() {
        ThreadLocalRandom random = ThreadLocalRandom.current();
        long high = (random.nextLong() & ~0xF000L) | 0x4000L;
        long low = (random.nextLong() & 0x3FFFFFFFFFFFFFFFL) | 0x8000000000000000L;
        return new UUID(high, low).toString();
    }

    static void onContext(Context context, Runnable action) {
        if (context == null || Vertx.currentContext() == context) {
            action.run();
        } else {
            context.runOnContext(v -> action.run());
        }
    }
}
