package io.leadsuite.gateway;

import java.net.URI;
import java.net.URISyntaxException;

import org.jboss.logging.Logger;

import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.http.StreamResetException;
import io.vertx.httpproxy.Body;
import io.vertx.httpproxy.ProxyContext;
import io.vertx.httpproxy.ProxyInterceptor;
import io.vertx.httpproxy.ProxyRequest;
import io.vertx.httpproxy.ProxyResponse;

/**
 * Sends one request on to its upstream: rewrites the URI ({@code /api} stripped), passes the request id and the
 * gateway's trace context, rewrites a
 * {@code Location} that points at the upstream into the gateway's own address space, and turns an upstream that
 * cannot be reached (503), does not answer in time (504) or breaks off (502) into a problem+json answer.
 */
final class ForwardingInterceptor implements ProxyInterceptor {

    private static final Logger LOG = Logger.getLogger(ForwardingInterceptor.class);

    private final UpstreamService upstream;
    private final Origin origin;
    private final long timeoutMillis;

    ForwardingInterceptor(UpstreamService upstream, long timeoutMillis) {
        this.upstream = upstream;
        this.origin = upstream.origin;
        this.timeoutMillis = timeoutMillis;
    }

    @Override
    public Future<ProxyResponse> handleProxyRequest(ProxyContext context) {
        ProxyRequest request = context.request();
        Exchange exchange = upstream.exchange(request.proxiedRequest());
        request.setURI(exchange.upstreamUri);
        request.putHeader(ApiGateway.X_REQUEST_ID, exchange.requestId);
        TraceContext.propagate(request.headers());
        if (exchange.bodyless) {
            request.setBody(null);
            request.proxiedRequest().resume();
        } else if (request.getBody() != null && request.getBody().length() < 0 && exchange.streamedBody) {
            // a body of unannounced length (chunked, HTTP/2) is counted as it streams; over the limit, the upstream
            // request is reset and the client gets 413
            Body body = request.getBody();
            request.setBody(Body.body(new LimitedStream(body.stream(), upstream.maxBodySize(),
                    () -> exchange.tooLarge = true), body.length()));
        }
        HttpServerResponse client = request.proxiedRequest().response();
        return upstream.guarded(() -> {
            exchange.sentNanos = System.nanoTime();
            // a stream reset is the proxy resetting the upstream request itself, because the client's body broke
            // off (a hang-up, whose close may not be flagged yet) or went over the limit: not the service's fault
            return context.sendRequest().recover(failure -> Future.failedFuture(
                    client.closed() || failure instanceof StreamResetException
                            ? new UpstreamService.ClientGone(failure)
                            : failure));
        }).recover(failure -> Future.succeededFuture(failed(context, exchange, failure)));
    }

    @Override
    public Future<Void> handleProxyResponse(ProxyContext context) {
        ProxyResponse response = context.response();
        Exchange exchange = upstream.exchange(context.request().proxiedRequest());
        long now = System.nanoTime();
        if (exchange != null) {
            if (exchange.upstreamNanos == 0 && exchange.sentNanos > 0) {
                exchange.upstreamNanos = now;
            }
            response.putHeader(ApiGateway.SERVER_TIMING, exchange.serverTiming(now));
            upstream.record(exchange, context.request().getMethod().name(), response.getStatusCode());
        }
        // the gateway's id is already on the response; an upstream echo must not add a second header
        response.headers().remove(ApiGateway.X_REQUEST_ID);
        String location = response.headers().get(HttpHeaders.LOCATION);
        if (location != null) {
            response.putHeader(HttpHeaders.LOCATION, rewriteLocation(location, context.request().proxiedRequest()));
        }
        return context.sendResponse();
    }

    private ProxyResponse failed(ProxyContext context, Exchange exchange, Throwable failure) {
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
        } else if (!exchange.connected) {
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
        LOG.warnf("%s %s -> %s: %d (%s) [request %s]", context.request().getMethod(), exchange.path, service, status,
                failure.getMessage(), exchange.requestId);
        upstream.record(exchange, context.request().getMethod().name(), status);
        // whatever of the body the service did not take is read and dropped, so the connection stays usable
        context.request().proxiedRequest().resume();
        if (context.request().getBody() == null) {
            // a bodyless request was sent without a body stream; the proxy's release() resumes one
            context.request().setBody(Body.body(Buffer.buffer()));
        }
        if (context.request().proxiedRequest().response().closed()) {
            // the client hung up: nobody reads an answer, and piping a body to the closed connection fails inside
            // the proxy (an uncaught NullPointerException in vertx-http-proxy 4.5's ProxiedResponse per hang-up)
            return context.request().release().response().setStatusCode(status);
        }
        ProxyResponse response = context.request().release().response()
                .setStatusCode(status)
                .putHeader(HttpHeaders.CONTENT_TYPE, Problems.MEDIA_TYPE)
                .putHeader(ApiGateway.SERVER_TIMING, exchange.serverTiming(System.nanoTime()))
                .setBody(Body.body(Problems.body(kind, title, status, detail, exchange.path, exchange.requestId)));
        if (status == 503) {
            response.putHeader(HttpHeaders.RETRY_AFTER, "5");
        }
        if (status == 413) {
            response.putHeader(HttpHeaders.CONNECTION, "close");
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
