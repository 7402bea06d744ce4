package io.leadsuite.gateway;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import io.quarkus.security.identity.SecurityIdentity;
import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;

/**
 * {@code GET /api/contacts/{id}/overview}: the contact (contact-service), its leads (lead-service) and each lead's
 * scores (scoring-service) in one answer. Contact and leads are fetched in parallel, then the scores of all leads in
 * parallel, each part with its own time-out and through its upstream's circuit breaker. A part that fails is
 * {@code null} and named in {@code missing}, with the reason in {@code reasons}; the answer is still 200. Only a
 * contact that does not exist (404 from contact-service) makes the whole answer 404.
 */
@ApplicationScoped
class Overview {

    @Inject
    ApiGateway gateway;
    @Inject
    GatewayConfig config;

    /** One part of the view: its JSON, or why it is missing. */
    record Part(Object json, int status, String reason) {
        boolean ok() {
            return reason == null;
        }
    }

    void handle(RoutingContext rc, SecurityIdentity identity) {
        rc.request().resume();
        String[] segments = rc.normalizedPath().split("/");
        // /api/contacts/{id}/overview
        String contactId = segments[3];
        MultiMap headers = MultiMap.caseInsensitiveMultiMap()
                .add(HttpHeaders.ACCEPT, "application/json")
                .add(ApiGateway.X_REQUEST_ID, ApiGateway.requestId(rc));
        TraceContext.propagate(headers);
        String authorization = rc.request().getHeader(HttpHeaders.AUTHORIZATION);
        if (authorization != null) {
            headers.add(HttpHeaders.AUTHORIZATION, authorization);
        }
        long timeout = config.overview().timeout().toMillis();
        String id = encode(contactId);
        Future<Part> contact = part(Upstream.CONTACT_SERVICE, "/contacts/" + id, headers, timeout);
        Future<Part> leads = part(Upstream.LEAD_SERVICE,
                "/leads?contactId=" + id + "&limit=" + config.overview().maxLeads(), headers, timeout);
        Future.join(contact, leads).onComplete(both -> {
            Part c = contact.result();
            if (c.status() == 404) {
                ApiGateway.answer(rc, "not-found", "Not found", 404, "There is no contact " + contactId);
                return;
            }
            if (c.status() == 401 || c.status() == 403 || c.status() == 400) {
                ApiGateway.answer(rc, c.status() == 400 ? "bad-request"
                        : c.status() == 401 ? "unauthorized"
                                : "forbidden",
                        c.status() == 400 ? "Bad request"
                                : c.status() == 401 ? "Authentication required"
                                        : "Forbidden",
                        c.status(), "contact-service refused the contact: " + c.reason());
                return;
            }
            Map<String, String> reasons = new LinkedHashMap<>();
            if (!c.ok()) {
                reasons.put("contact", c.reason());
            }
            Part l = leads.result();
            JsonArray leadItems = null;
            if (l.ok()) {
                Object items = l.json() instanceof JsonObject page ? page.getValue("items") : l.json();
                leadItems = items instanceof JsonArray array ? array : new JsonArray();
            } else {
                reasons.put("leads", l.reason());
            }
            List<Future<Part>> scores = new ArrayList<>();
            List<JsonObject> leadList = new ArrayList<>();
            if (leadItems != null) {
                for (Object item : leadItems) {
                    if (item instanceof JsonObject lead && lead.getString("id") != null) {
                        leadList.add(lead);
                        scores.add(part(Upstream.SCORING_SERVICE, "/leads/" + encode(lead.getString("id")) + "/scores",
                                headers, timeout));
                    }
                }
            }
            JsonArray leadsOut = leadItems == null ? null : new JsonArray();
            Future.join(new ArrayList<>(scores)).onComplete(all -> {
                for (int i = 0; i < leadList.size(); i++) {
                    Part s = scores.get(i).result();
                    if (!s.ok()) {
                        reasons.putIfAbsent("scores", s.reason());
                    }
                    leadsOut.add(new JsonObject().put("lead", leadList.get(i)).put("scores", s.ok() ? s.json() : null));
                }
                JsonObject body = new JsonObject()
                        .put("contact", c.ok() ? c.json() : null)
                        .put("leads", leadsOut)
                        .put("complete", reasons.isEmpty())
                        .put("missing", new JsonArray(new ArrayList<>(reasons.keySet())))
                        .put("reasons", new JsonObject(new LinkedHashMap<>(reasons)));
                rc.response().putHeader(HttpHeaders.CONTENT_TYPE, "application/json").end(body.toBuffer());
            });
        });
    }

    /** A part never fails: a failure is a part with a reason. */
    private Future<Part> part(Upstream upstream, String uri, MultiMap headers, long timeout) {
        UpstreamService service = gateway.upstream(upstream);
        return service.fetch(uri, headers, timeout).map(fetched -> {
            int status = fetched.status();
            if (status >= 200 && status < 300) {
                try {
                    return new Part(fetched.body().toJsonValue(), status, null);
                } catch (RuntimeException e) {
                    return new Part(null, status, service.name() + " answered something that is not JSON");
                }
            }
            return new Part(null, status, service.name() + " answered " + status);
        }).otherwise(failure -> new Part(null, 0, service.name() + " " + why(failure, timeout)));
    }

    private static String why(Throwable failure, long timeout) {
        if (failure instanceof Breaker.Open) {
            return "is failing (circuit open)";
        }
        if (UpstreamService.isTimeout(failure)) {
            return "did not answer within " + timeout + " ms";
        }
        return "cannot be reached";
    }

    private static String encode(String segment) {
        return URLEncoder.encode(segment, StandardCharsets.UTF_8).replace("+", "%20");
    }
}
