package io.leadsuite.gateway;

import java.util.regex.Pattern;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import io.quarkus.vertx.http.runtime.RouteConstants;
import io.vertx.core.MultiMap;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;

/**
 * The web console: static ES modules and CSS under {@code META-INF/resources}, served by Quarkus at
 * {@code /} (index.html) and {@code /console/*}. It calls only the public API under {@code /api}, so the gateway adds
 * nothing but the security headers of a page: a Content-Security-Policy that admits the console's own scripts,
 * styles and API calls and nothing else (no inline script or style, no other origin, no framing), and no caching
 * without revalidation so that a new release is picked up at once. {@code /api} and {@code /q} are left as they are.
 */
@ApplicationScoped
class Console {

    /** Everything but the API and Quarkus' own endpoints. */
    static final Pattern PAGES = Pattern.compile("^/(?!api(?:/|$)|q(?:/|$)).*");

    static final String CSP = "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
            + "connect-src 'self'; font-src 'self'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'";

    void register(@Observes Router router) {
        router.routeWithRegex(PAGES.pattern()).order(RouteConstants.ROUTE_ORDER_BEFORE_DEFAULT - 1)
                .handler(Console::headers);
    }

    static void headers(RoutingContext rc) {
        MultiMap headers = rc.response().headers();
        headers.set("Content-Security-Policy", CSP);
        headers.set("X-Content-Type-Options", "nosniff");
        headers.set("X-Frame-Options", "DENY");
        headers.set("Referrer-Policy", "no-referrer");
        headers.set("Cross-Origin-Opener-Policy", "same-origin");
        headers.set("Permissions-Policy", "camera=(), microphone=(), geolocation=(), payment=()");
        rc.addHeadersEndHandler(v -> rc.response().headers().set("Cache-Control", "no-cache"));
        rc.next();
    }
}
