package io.leadsuite.gateway;

import java.util.EnumMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.function.BiConsumer;
import java.util.regex.Pattern;

import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import org.jboss.logging.Logger;

import io.leadsuite.contracts.Roles;
import io.quarkus.security.AuthenticationFailedException;
import io.quarkus.security.identity.SecurityIdentity;
import io.quarkus.vertx.http.runtime.RouteConstants;
import io.quarkus.vertx.http.runtime.security.QuarkusHttpUser;
import io.smallrye.mutiny.Uni;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpVersion;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.httpproxy.HttpProxy;
import io.vertx.httpproxy.ProxyOptions;

/**
 * The gateway's front door: every request under {@code /api} gets a request id, is authenticated (JWT) and
 * authorised (roles) here, and only then streamed to the service that owns it (see {@link Route}).
 */
@ApplicationScoped
public class ApiGateway {

    private static final Logger LOG = Logger.getLogger(ApiGateway.class);

    public static final String X_REQUEST_ID = "X-Request-Id";
    /** A client's request id is kept when it is this harmless; otherwise the gateway makes its own. */
    private static final Pattern SAFE_REQUEST_ID = Pattern.compile("[A-Za-z0-9._:@/+=-]{1,128}");

    /** Where Quarkus' HTTP metrics look for a route template (as Quarkus REST sets it). */
    private static final String URL_PATH_TEMPLATE = "UrlPathTemplate";
    private static final Set<HttpMethod> BODYLESS = Set.of(HttpMethod.GET, HttpMethod.HEAD, HttpMethod.OPTIONS,
            HttpMethod.TRACE);

    private final GatewayConfig config;
    private final Vertx vertx;
    private final Map<Upstream, Origin> origins = new EnumMap<>(Upstream.class);
    private HttpClient client;

    ApiGateway(GatewayConfig config, Vertx vertx) {
        this.config = config;
        this.vertx = vertx;
    }

    void register(@Observes Router router) {
        GatewayConfig.Upstreams upstreams = config.upstreams();
        origins.put(Upstream.CONTACT_SERVICE, Origin.of(Upstream.CONTACT_SERVICE, upstreams.contactService()));
        origins.put(Upstream.LEAD_SERVICE, Origin.of(Upstream.LEAD_SERVICE, upstreams.leadService()));
        origins.put(Upstream.SCORING_SERVICE, Origin.of(Upstream.SCORING_SERVICE, upstreams.scoringService()));
        client = vertx.createHttpClient(new HttpClientOptions()
                .setKeepAlive(true)
                .setMaxPoolSize(config.maxConnectionsPerUpstream())
                .setConnectTimeout((int) config.connectTimeout().toMillis())
                .setDecompressionSupported(false));
        router.route(Route.API).order(RouteConstants.ROUTE_ORDER_BEFORE_DEFAULT).handler(this::handle);
        router.route(Route.API + "/*").order(RouteConstants.ROUTE_ORDER_BEFORE_DEFAULT).handler(this::handle);
        origins.values().forEach(o -> LOG.infof("%s -> %s", o.upstream().configName(), o.base()));
    }

    @PreDestroy
    void close() {
        if (client != null) {
            client.close();
        }
    }

    void handle(RoutingContext rc) {
        HttpServerRequest request = rc.request();
        // nothing of the body may be read (or lost) before the proxy streams it on
        request.pause();
        String requestId = requestId(request);
        // on every answer; ForwardingInterceptor puts it on the upstream request
        rc.response().putHeader(X_REQUEST_ID, requestId);

        String path = rc.normalizedPath();
        Optional<Route> route = Route.resolve(path);
        Context context = Vertx.currentContext();
        if (context != null) {
            // the uri tag of http_server_requests: one per route group, not one per lead id
            context.putLocal(URL_PATH_TEMPLATE, route.map(Route::template).orElse(Route.UNKNOWN_TEMPLATE));
        }
        // lazy authentication: failures are answered below as problem+json, not by the default handler
        rc.put(QuarkusHttpUser.AUTH_FAILURE_HANDLER, (BiConsumer<RoutingContext, Throwable>) (ctx, failure) -> {
        });
        Uni<SecurityIdentity> identity = QuarkusHttpUser.getSecurityIdentity(rc, null);
        identity.subscribe().with(
                id -> onContext(context, () -> authorised(rc, route, id, path, requestId)),
                failure -> onContext(context, () -> {
                    if (failure instanceof AuthenticationFailedException) {
                        LOG.debugf("Authentication failed [request %s]: %s", requestId, failure.getMessage());
                    } else {
                        LOG.warnf(failure, "Authentication could not be completed [request %s]", requestId);
                    }
                    unauthorised(rc, path, requestId, "The bearer token is malformed, expired or not trusted",
                            "Bearer error=\"invalid_token\"");
                }));
    }

    private void authorised(RoutingContext rc, Optional<Route> route, SecurityIdentity identity, String path,
            String requestId) {
        try {
            if (identity == null || identity.isAnonymous()) {
                unauthorised(rc, path, requestId, "A bearer token is required", "Bearer");
                return;
            }
            HttpServerRequest request = rc.request();
            Set<String> allowed = route.map(r -> r.allowedRoles(request.method().name())).orElse(Roles.ALL);
            if (allowed.stream().noneMatch(identity.getRoles()::contains)) {
                answer(rc, "forbidden", "Forbidden", 403,
                        "This route needs one of the roles " + String.join(", ", new TreeSet<>(allowed)), path,
                        requestId);
                return;
            }
            if (route.isEmpty()) {
                answer(rc, "not-found", "Not found", 404, "No service serves " + path, path, requestId);
                return;
            }
            forward(request, route.get(), path, requestId);
        } catch (RuntimeException e) {
            LOG.errorf(e, "Cannot forward %s [request %s]", path, requestId);
            answer(rc, "internal", "Internal error", 500, "The gateway failed; request id " + requestId, path,
                    requestId);
        }
    }

    private void forward(HttpServerRequest request, Route route, String path, String requestId) {
        Origin origin = origins.get(route.upstream());
        String query = request.query();
        boolean bodyless = false;
        String upstreamUri = origin.basePath() + route.upstreamPath() + (query == null ? "" : "?" + query);
        if (request.version() == HttpVersion.HTTP_2 && request.getHeader(HttpHeaders.CONTENT_LENGTH) == null) {
            // HTTP/2 frames a body without announcing its length; HTTP/1.1 to the upstream needs chunks for that
            // (the proxy decides by this header). Methods that carry no body are sent without one.
            if (BODYLESS.contains(request.method())) {
                bodyless = true;
            } else {
                request.headers().set(HttpHeaders.TRANSFER_ENCODING, HttpHeaders.CHUNKED);
            }
        }
        long timeout = config.timeout().toMillis();
        long connectTimeout = config.connectTimeout().toMillis();
        HttpProxy.reverseProxy(new ProxyOptions().setSupportWebSocket(false), client)
                .origin(ctx -> ctx.client().request(origin.requestOptions(timeout, connectTimeout))
                        .onSuccess(upstreamRequest -> ctx.set(ForwardingInterceptor.CONNECTED, Boolean.TRUE)))
                .addInterceptor(new ForwardingInterceptor(origin, upstreamUri, requestId, path, timeout, bodyless))
                .handle(request);
    }

    private static void unauthorised(RoutingContext rc, String path, String requestId, String detail,
            String challenge) {
        rc.response().putHeader("WWW-Authenticate", challenge);
        answer(rc, "unauthorized", "Authentication required", 401, detail, path, requestId);
    }

    /** An answer of the gateway's own; the unread request body is drained so the connection stays usable. */
    private static void answer(RoutingContext rc, String kind, String title, int status, String detail, String path,
            String requestId) {
        rc.request().resume();
        Problems.send(rc.response(), kind, title, status, detail, path, requestId);
    }

    private static String requestId(HttpServerRequest request) {
        String sent = request.getHeader(X_REQUEST_ID);
        return sent != null && SAFE_REQUEST_ID.matcher(sent).matches() ? sent : UUID.randomUUID().toString();
    }

    private static void onContext(Context context, Runnable action) {
        if (context == null || Vertx.currentContext() == context) {
            action.run();
        } else {
            context.runOnContext(v -> action.run());
        }
    }
}
