package io.leadsuite.gateway;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.concurrent.TimeoutException;

import org.jboss.logging.Logger;

import io.vertx.core.Future;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.httpproxy.Body;
import io.vertx.httpproxy.ProxyContext;
import io.vertx.httpproxy.ProxyInterceptor;
import io.vertx.httpproxy.ProxyRequest;
import io.vertx.httpproxy.ProxyResponse;

/**
 * Sends one request on to its upstream: rewrites the URI ({@code /api} stripped), passes the request id, rewrites a
 * {@code Location} that points at the upstream into the gateway's own address space, and turns an upstream that
 * cannot be reached (503), does not answer in time (504) or breaks off (502) into a problem+json answer.
 */
final class ForwardingInterceptor implements ProxyInterceptor {

    private static final Logger LOG = Logger.getLogger(ForwardingInterceptor.class);

    /** Set on the proxy context once a connection to the upstream has been obtained. */
    static final String CONNECTED = "leadsuite.connected";

    private final Origin origin;
    private final String upstreamUri;
    private final String requestId;
    private final String instance;
    private final long timeoutMillis;
    private final boolean bodyless;

    /** @param bodyless send the request without a body (an HTTP/2 GET, which announces no length) */
    ForwardingInterceptor(Origin origin, String upstreamUri, String requestId, String instance, long timeoutMillis,
            boolean bodyless) {
        this.origin = origin;
        this.upstreamUri = upstreamUri;
        this.requestId = requestId;
        this.instance = instance;
        this.timeoutMillis = timeoutMillis;
        this.bodyless = bodyless;
    }

    @Override
    public Future<ProxyResponse> handleProxyRequest(ProxyContext context) {
        ProxyRequest request = context.request();
        request.setURI(upstreamUri);
        request.putHeader(ApiGateway.X_REQUEST_ID, requestId);
        if (bodyless) {
            request.setBody(null);
            request.proxiedRequest().resume();
        }
        return context.sendRequest()
                .recover(failure -> Future.succeededFuture(failed(context, failure)));
    }

    @Override
    public Future<Void> handleProxyResponse(ProxyContext context) {
        ProxyResponse response = context.response();
        // the gateway's id is already on the response; an upstream echo must not add a second header
        response.headers().remove(ApiGateway.X_REQUEST_ID);
        String location = response.headers().get(HttpHeaders.LOCATION);
        if (location != null) {
            response.putHeader(HttpHeaders.LOCATION, rewriteLocation(location, context.request().proxiedRequest()));
        }
        return context.sendResponse();
    }

    private ProxyResponse failed(ProxyContext context, Throwable failure) {
        String service = origin.upstream().configName();
        boolean connected = Boolean.TRUE.equals(context.get(CONNECTED, Boolean.class));
        int status;
        String kind;
        String title;
        String detail;
        if (!connected) {
            status = 503;
            kind = "upstream-unavailable";
            title = "Service unavailable";
            detail = service + " cannot be reached; try again later";
        } else if (failure instanceof TimeoutException) {
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
        LOG.warnf("%s %s -> %s: %d (%s) [request %s]", context.request().getMethod(), instance, service, status,
                failure.getMessage(), requestId);
        ProxyResponse response = context.request().release().response()
                .setStatusCode(status)
                .putHeader(HttpHeaders.CONTENT_TYPE, Problems.MEDIA_TYPE)
                .setBody(Body.body(Problems.body(kind, title, status, detail, instance, requestId)));
        if (status == 503) {
            response.putHeader(HttpHeaders.RETRY_AFTER, "5");
        }
        return response;
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
}
