package io.leadsuite.gateway;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.PrivateKey;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Pattern;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import org.jboss.logging.Logger;

import io.leadsuite.contracts.Roles;
import io.quarkus.runtime.StartupEvent;
import io.quarkus.security.identity.SecurityIdentity;
import io.quarkus.vertx.http.runtime.cors.CORSFilter;
import io.smallrye.jwt.build.Jwt;
import io.smallrye.jwt.util.KeyUtils;
import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;

/**
 * {@code POST /api/forms/captures}: the public door for web forms, which anonymous visitors fill in. The form sends
 * its site's key in {@code X-Form-Key}; the gateway checks the key, that the browser's {@code Origin} is the site's,
 * and a rate limit per site and IP address; it sets the capture's {@code source} (and {@code sourceRef}, when the site
 * has one) from its configuration, so a form cannot pose as another source; and it posts the capture to
 * lead-service's {@code /captures} with a short-lived form token it mints itself in {@code X-Form-Token} (subject
 * {@code form:<site>}, role {@code form}), signed with a form-signing key of its own. That key is not the suite
 * issuer's: only lead-service's captures (and contact-service's match-or-create, which a capture calls with the
 * caller's credential) trust its public key, and only for the role {@code form}, whatever the token claims; so the
 * internet-facing gateway holds no key that can mint a staff token. The visitor never holds a token, and its answer is
 * {@code 202 {"status": "received"}} whatever happened to the e-mail (known or new, lead created or touched).
 */
@ApplicationScoped
class FormCaptures {

    private static final Logger LOG = Logger.getLogger(FormCaptures.class);
    static final String FORM_KEY = "X-Form-Key";
    /** The header lead-service reads the form token from (the kit's {@code FormTokens}). */
    static final String FORM_TOKEN = "X-Form-Token";
    /** The audience of form tokens: neither a service nor the gateway accepts them as bearer tokens. */
    static final String FORM_AUDIENCE = "leadsuite-forms";
    static final String RECEIVED = "{\"status\":\"received\"}";

    private final ApiGateway gateway;
    private final GatewayConfig config;
    private final ClientAddress clients;
    private final Map<String, CachedToken> tokens = new java.util.concurrent.ConcurrentHashMap<>();
    private volatile PrivateKey signingKey;

    private record CachedToken(String token, long expiresAtMillis) {
    }

    FormCaptures(ApiGateway gateway, GatewayConfig config) {
        this.gateway = gateway;
        this.config = config;
        this.clients = gateway.clients();
    }

    /** Warns at start-up of each site whose form browsers cannot post ({@link #unreachable}). */
    void checkOrigins(@Observes StartupEvent start) {
        Map<String, String> origins = new TreeMap<>();
        config.forms().sites().forEach((name, site) -> origins.put(name, site.origin()));
        unreachable(origins, config.corsOrigins()).forEach(LOG::warn);
    }

    /**
     * What to tell an operator about sites whose origin {@code leadsuite.gateway.cors-origins} does not admit: CORS
     * answers every submission from a browser on such a site 403 before this class sees it, so its form can never post.
     * Compared as Quarkus' CORS filter compares (with its own parsing of {@code /regular expressions/}): {@code *}, the
     * origin as browsers send it (scheme and host in lower case) letter for letter, or a regular expression matching it.
     */
    static List<String> unreachable(Map<String, String> siteOrigins, List<String> corsOrigins) {
        List<String> listed = corsOrigins.stream().map(String::strip).toList();
        List<Pattern> patterns = CORSFilter.parseAllowedOriginsRegex(Optional.of(listed));
        return siteOrigins.entrySet().stream()
                .filter(site -> {
                    String origin = site.getValue().toLowerCase(Locale.ROOT);
                    return !listed.contains("*") && !listed.contains(origin)
                            && !CORSFilter.isOriginAllowedByRegex(patterns, origin);
                })
                .map(site -> "Form site " + site.getKey() + " is served from " + site.getValue()
                        + ", which leadsuite.gateway.cors-origins does not list: browsers cannot post its form")
                .toList();
    }

    void handle(RoutingContext rc, SecurityIdentity ignored) {
        HttpServerRequest request = rc.request();
        String key = request.getHeader(FORM_KEY);
        Map.Entry<String, GatewayConfig.Forms.Site> site = key == null ? null : site(key);
        if (site == null) {
            rc.response().putHeader("WWW-Authenticate", "Form-Key");
            ApiGateway.answer(rc, "unauthorized", "Authentication required", 401,
                    "A valid X-Form-Key is required");
            return;
        }
        String origin = request.getHeader(HttpHeaders.ORIGIN);
        if (origin == null || !origin.equalsIgnoreCase(site.getValue().origin())) {
            ApiGateway.answer(rc, "forbidden", "Forbidden", 403,
                    "This form key is only accepted from " + site.getValue().origin());
            return;
        }
        // a budget per visitor (the real client address behind trusted proxies) and one for the whole site
        String ip = clients.of(request);
        if (!gateway.rateLimited(rc, new RateLimiter.Key("form", site.getKey(), ip), config.forms().perMinute())
                || !gateway.rateLimited(rc, new RateLimiter.Key("form-site", site.getKey(), ""),
                        config.forms().perSitePerMinute())) {
            return;
        }
        long limit = config.forms().maxBodySize().asLongValue();
        Buffer body = Buffer.buffer();
        boolean[] tooLarge = { false };
        request.handler(chunk -> {
            if (!tooLarge[0]) {
                if (body.length() + chunk.length() > limit) {
                    tooLarge[0] = true;
                } else {
                    body.appendBuffer(chunk);
                }
            }
        });
        request.endHandler(v -> {
            if (tooLarge[0]) {
                ApiGateway.answer(rc, "payload-too-large", "Payload too large", 413,
                        "A form submission may not exceed " + limit + " bytes");
                return;
            }
            submit(rc, site.getKey(), site.getValue(), body);
        });
        request.resume();
    }

    private void submit(RoutingContext rc, String siteName, GatewayConfig.Forms.Site site, Buffer body) {
        JsonObject parsed;
        try {
            parsed = body.length() == 0 ? null : new JsonObject(body);
        } catch (DecodeException | ClassCastException e) {
            parsed = null;
        }
        JsonObject capture = parsed;
        if (capture == null) {
            ApiGateway.answer(rc, "bad-request", "Bad request", 400, "The body must be a JSON object");
            return;
        }
        capture.put("source", site.source());
        site.sourceRef().ifPresent(ref -> capture.put("sourceRef", ref));
        String token;
        try {
            token = token(siteName);
        } catch (RuntimeException e) {
            LOG.errorf(e, "Cannot mint a form token for form site %s", siteName);
            ApiGateway.answer(rc, "upstream-unavailable", "Service unavailable", 503,
                    "The gateway cannot sign requests for forms now; request id " + ApiGateway.requestId(rc));
            return;
        }
        UpstreamService lead = gateway.upstream(Upstream.LEAD_SERVICE);
        MultiMap headers = MultiMap.caseInsensitiveMultiMap()
                .add(HttpHeaders.CONTENT_TYPE, "application/json")
                .add(HttpHeaders.ACCEPT, "application/json")
                .add(FORM_TOKEN, token)
                .add(ApiGateway.X_REQUEST_ID, ApiGateway.requestId(rc));
        TraceContext.propagate(headers);
        String idempotencyKey = rc.request().getHeader("Idempotency-Key");
        if (idempotencyKey != null) {
            headers.add("Idempotency-Key", idempotencyKey);
        }
        long timeout = config.timeout().toMillis();
        RequestOptions options = lead.origin.requestOptions(timeout, config.connectTimeout().toMillis())
                .setMethod(HttpMethod.POST).setURI(lead.origin.basePath() + "/captures").setHeaders(headers)
                .setTimeout(timeout);
        Buffer payload = capture.toBuffer();
        lead.client.request(options)
                .compose(r -> r.send(payload))
                .compose(response -> response.body().map(b -> {
                    int status = response.statusCode();
                    if (status >= 200 && status < 300) {
                        // one answer for every accepted submission: no ids, no Location, nothing that tells a known
                        // e-mail from a new one
                        rc.response().setStatusCode(202).putHeader(HttpHeaders.CONTENT_TYPE, "application/json")
                                .end(RECEIVED);
                    } else if (status >= 500) {
                        ApiGateway.answer(rc, "upstream-unavailable", "Service unavailable", 503,
                                "lead-service cannot take the submission now; try again later");
                    } else {
                        // the submission's own fault (a field, a size): the problem names fields, never a person
                        rc.response().setStatusCode(status);
                        String type = response.getHeader(HttpHeaders.CONTENT_TYPE);
                        if (type != null) {
                            rc.response().putHeader(HttpHeaders.CONTENT_TYPE, type);
                        }
                        rc.response().end(b);
                    }
                    return b;
                }))
                .onFailure(failure -> ApiGateway.answer(rc, "upstream-unavailable", "Service unavailable", 503,
                        "lead-service cannot take the submission now; try again later"));
    }

    /** The site whose key is {@code key} (compared in constant time), or null. */
    private Map.Entry<String, GatewayConfig.Forms.Site> site(String key) {
        byte[] sent = key.getBytes(StandardCharsets.UTF_8);
        Map.Entry<String, GatewayConfig.Forms.Site> found = null;
        for (Map.Entry<String, GatewayConfig.Forms.Site> entry : config.forms().sites().entrySet()) {
            if (MessageDigest.isEqual(sent, entry.getValue().key().getBytes(StandardCharsets.UTF_8))) {
                found = entry;
            }
        }
        return found;
    }

    /** A form token for {@code site}, minted when there is none with more than a minute left. */
    String token(String site) {
        long now = System.currentTimeMillis();
        CachedToken cached = tokens.get(site);
        if (cached != null && cached.expiresAtMillis() - 60_000 > now) {
            return cached.token();
        }
        Duration lifetime = config.forms().tokenLifetime();
        String token = Jwt.issuer(config.forms().issuer())
                .audience(FORM_AUDIENCE)
                .subject("form:" + site)
                .upn("form:" + site)
                .groups(Set.of(Roles.FORM))
                .expiresIn(lifetime)
                .sign(signingKey());
        tokens.put(site, new CachedToken(token, now + lifetime.toMillis()));
        return token;
    }

    private PrivateKey signingKey() {
        if (signingKey == null) {
            String location = config.forms().signingKey();
            String path = location.startsWith("file:") ? location.substring("file:".length()) : location;
            try {
                signingKey = KeyUtils.decodePrivateKey(Files.readString(Path.of(path)));
            } catch (Exception e) {
                throw new IllegalStateException("Cannot read the form signing key " + location, e);
            }
        }
        return signingKey;
    }
}
