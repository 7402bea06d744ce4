package io.leadsuite.gateway;

import java.net.URI;
import java.util.Locale;

import io.vertx.core.http.RequestOptions;

/**
 * One upstream's base URL, checked at start-up.
 *
 * @param basePath prefix put before the forwarded path, without trailing slash ({@code ""} for none)
 */
record Origin(Upstream upstream, URI base, String host, int port, boolean ssl, String basePath) {

    static Origin of(Upstream upstream, URI base) {
        String key = "leadsuite.gateway.upstreams." + upstream.configName();
        String scheme = base.getScheme() == null ? "" : base.getScheme().toLowerCase(Locale.ROOT);
        if (!scheme.equals("http") && !scheme.equals("https")) {
            throw new IllegalArgumentException(key + " must be an http:// or https:// URL, not '" + base + "'");
        }
        if (base.getHost() == null) {
            throw new IllegalArgumentException(key + " has no host: '" + base + "'");
        }
        if (base.getRawQuery() != null || base.getRawFragment() != null) {
            throw new IllegalArgumentException(key + " must not carry a query or fragment: '" + base + "'");
        }
        boolean ssl = scheme.equals("https");
        int port = base.getPort() != -1 ? base.getPort() : ssl ? 443 : 80;
        String path = base.getRawPath() == null ? "" : base.getRawPath();
        while (path.endsWith("/")) {
            path = path.substring(0, path.length() - 1);
        }
        return new Origin(upstream, base, base.getHost(), port, ssl, path);
    }

    /** Options for a request to this upstream; the proxy sets method, URI and headers itself. */
    RequestOptions requestOptions(long timeoutMillis, long connectTimeoutMillis) {
        return new RequestOptions().setHost(host).setPort(port).setSsl(ssl)
                .setIdleTimeout(timeoutMillis).setConnectTimeout(connectTimeoutMillis);
    }

    /** Whether {@code uri} (absolute) points at this upstream. */
    boolean serves(URI uri) {
        if (uri.getScheme() == null || uri.getHost() == null) {
            return false;
        }
        boolean uriSsl = uri.getScheme().equalsIgnoreCase("https");
        int uriPort = uri.getPort() != -1 ? uri.getPort() : uriSsl ? 443 : 80;
        return uriSsl == ssl && uriPort == port && uri.getHost().equalsIgnoreCase(host);
    }
}
