package io.leadsuite.gateway;

import java.util.Optional;
import java.util.Set;

import io.leadsuite.contracts.Roles;

/**
 * Where a request under {@code /api} goes and who may send it.
 *
 * @param group the route group (the first path segment after {@code /api}, or {@code lead-scores})
 * @param upstream the service that serves it
 * @param upstreamPath the path on that service: the request path without the {@code /api} prefix
 */
public record Route(String group, Upstream upstream, String upstreamPath) {

    /** The metrics {@code uri} tag of paths that match no route. */
    static final String UNKNOWN_TEMPLATE = "/api/**";

    static final String API = "/api";

    /** Captures and interactions come from marketing systems. */
    static final Set<String> MARKETING_OR_ADMIN = Set.of(Roles.MARKETING, Roles.ADMIN);
    /** The CRM hand-off. */
    static final Set<String> CRM_OR_ADMIN = Set.of(Roles.CRM, Roles.ADMIN);

    /**
     * The routing table. {@code path} is the normalised request path (dot segments resolved); matching is by whole
     * path segments and case-sensitive, so {@code /api/leadsx} or {@code /api/CRM/x} match nothing.
     */
    public static Optional<Route> resolve(String path) {
        if (path == null || !path.startsWith(API + "/")) {
            return Optional.empty();
        }
        String rest = path.substring(API.length());
        String[] segments = rest.substring(1).split("/", -1);
        Upstream upstream;
        String group = segments[0];
        switch (group) {
            case "captures", "flows", "crm" -> upstream = Upstream.LEAD_SERVICE;
            case "leads" -> {
                boolean scores = segments.length >= 3 && !segments[1].isEmpty() && segments[2].equals("scores");
                upstream = scores ? Upstream.SCORING_SERVICE : Upstream.LEAD_SERVICE;
                group = scores ? "lead-scores" : group;
            }
            case "contacts" -> upstream = Upstream.CONTACT_SERVICE;
            case "interactions", "scoring" -> upstream = Upstream.SCORING_SERVICE;
            default -> {
                return Optional.empty();
            }
        }
        return Optional.of(new Route(group, upstream, rest));
    }

    /**
     * A low-cardinality name for the metrics {@code uri} tag: {@code /api/contacts} for the root of a group,
     * {@code /api/contacts/**} below it, {@code /api/leads/{id}/scores/**} for the scores of a lead.
     */
    public String template() {
        if (group.equals("lead-scores")) {
            return API + "/leads/{id}/scores/**";
        }
        return upstreamPath.equals("/" + group) ? API + upstreamPath : API + "/" + group + "/**";
    }

    /**
     * The roles of which the caller needs at least one: {@code POST /api/captures} and {@code POST /api/interactions}
     * take marketing or admin, {@code /api/crm/**} crm or admin, everything else any role of the suite.
     */
    public Set<String> allowedRoles(String method) {
        if (group.equals("crm")) {
            return CRM_OR_ADMIN;
        }
        if ("POST".equals(method) && (group.equals("captures") || group.equals("interactions"))) {
            return MARKETING_OR_ADMIN;
        }
        return Roles.ALL;
    }
}
