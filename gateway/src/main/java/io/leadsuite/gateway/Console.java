package io.leadsuite.gateway;

import java.net.URI;
import java.util.regex.Pattern;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import io.quarkus.vertx.http.runtime.RouteConstants;
import io.vertx.core.MultiMap;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;

/**
 * The web console: static ES modules and CSS under {@code META-INF/resources}, served by Quarkus at
 * {@code /} (index.html) and {@code /console/*}. It calls only the public API under {@code /api}, so the gateway adds
 * nothing but the security headers of a page: a Content-Security-Policy that admits the console's own scripts,
 * styles and API calls and nothing else (no inline script or style, no other origin, no framing), and no caching
 * without revalidation so that a new release is picked up at once. {@code /api} and {@code /q} are left as they are.
 * <p>
 * With {@code leadsuite.gateway.console.oidc.*} set, the console also offers sign-in with the cluster's identity
 * provider (OpenID Connect authorisation code flow with PKCE): {@code /console/config.json} names the issuer and the
 * console's client id, and the policy admits the issuer's origin for the console's calls to it (its configuration and
 * token endpoint).
 */
@ApplicationScoped
class Console {

    /** Everything but the API and Quarkus' own endpoints. */
    static final Pattern PAGES = Pattern.compile("^/(?!api(?:/|$)|q(?:/|$)).*");

    static final String CSP = "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
            + "connect-src 'self'; font-src 'self'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'";

    static final String CONFIG = "/console/config.json";

    private final String csp;
    private final String config;

    Console(GatewayConfig gateway) {
        var oidc = gateway.console().oidc();
        this.csp = oidc.map(o -> CSP.replace("connect-src 'self';", "connect-src 'self' " + origin(o.issuer()) + ";"))
                .orElse(CSP);
        this.config = new JsonObject().put("oidc", oidc.map(o -> new JsonObject()
                .put("issuer", o.issuer().toString()).put("clientId", o.clientId()).put("scopes", o.scopes().orElse("openid")))
                .orElse(null)).encode();
    }

    /** scheme://host[:port] of a URI, as a CSP source. */
    static String origin(URI uri) {
        return uri.getScheme() + "://" + uri.getHost() + (uri.getPort() < 0 ? "" : ":" + uri.getPort());
    }

    void register(@Observes Router router) {
        router.routeWithRegex(PAGES.pattern()).order(RouteConstants.ROUTE_ORDER_BEFORE_DEFAULT - 1)
                .handler(this::headers);
        router.get(CONFIG).order(RouteConstants.ROUTE_ORDER_BEFORE_DEFAULT).handler(rc -> rc.response()
                .putHeader("Content-Type", "application/json").end(config));
    }

    void headers(RoutingContext rc) {
        MultiMap headers = rc.response().headers();
        headers.set("Content-Security-Policy", csp);
        headers.set("X-Content-Type-Options", "nosniff");
        headers.set("X-Frame-Options", "DENY");
        headers.set("Referrer-Policy", "no-referrer");
        headers.set("Cross-Origin-Opener-Policy", "same-origin");
        headers.set("Permissions-Policy", "camera=(), microphone=(), geolocation=(), payment=()");
        rc.addHeadersEndHandler(v -> rc.response().headers().set("Cache-Control", "no-cache"));
        rc.next();
    }
}
