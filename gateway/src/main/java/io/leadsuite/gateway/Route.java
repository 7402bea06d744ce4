package io.leadsuite.gateway;

import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

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

    private static final java.util.Map<String, String> API_TEMPLATES = new java.util.concurrent.ConcurrentHashMap<>();

    /** Captures, interactions, imports, merges, erasure and scoring models: marketing's data. */
    static final Set<String> MARKETING_OR_ADMIN = Set.of(Roles.MARKETING, Roles.ADMIN);
    /** The CRM hand-off. */
    static final Set<String> CRM_OR_ADMIN = Set.of(Roles.CRM, Roles.ADMIN);
    /** The people of the organisation, without the CRM system. */
    static final Set<String> STAFF = Set.of(Roles.MARKETING, Roles.TELESALES, Roles.SALES, Roles.ADMIN);
    /** The manual sales-ready flag (CONTRACT.md: telesales). */
    static final Set<String> TELESALES_OR_ADMIN = Set.of(Roles.TELESALES, Roles.ADMIN);
    static final Set<String> ADMIN = Set.of(Roles.ADMIN);
    /** Sales acceptance in the suite (CONTRACT.md: sales, admin). */
    static final Set<String> SALES_OR_ADMIN = Set.of(Roles.SALES, Roles.ADMIN);
    /**
     * A capture and the match-or-create it calls, as the services admit them: staff (marketing, admin) and the role
     * {@code form}, which only the form credential carries (never a token of the suite's issuer that a frontend holds);
     * public web forms come through {@code POST /api/forms/captures}, which mints it.
     */
    static final Set<String> CAPTURERS = Set.of(Roles.MARKETING, Roles.ADMIN, Roles.FORM);
    /** Campaigns and the closed-loop report: what marketing and sales read. */
    static final Set<String> MARKETING_SALES_OR_ADMIN = Set.of(Roles.MARKETING, Roles.SALES, Roles.ADMIN);

    /**
     * A route group: the first path segment after {@code /api} ({@code lead-scores} is {@code /api/leads/{id}/scores}),
     * the service that answers it, and the roles a path of the group needs when no rule of the table names it (a
     * service may grow routes).
     */
    record Group(String name, Upstream upstream, Set<String> defaultRoles) {
    }

    /** Every route group, in the order the README lists them; the one list of them. */
    static final List<Group> GROUPS = List.of(
            new Group("captures", Upstream.LEAD_SERVICE, MARKETING_OR_ADMIN),
            new Group("leads", Upstream.LEAD_SERVICE, Roles.ALL),
            new Group("lead-scores", Upstream.SCORING_SERVICE, Roles.ALL),
            new Group("contacts", Upstream.CONTACT_SERVICE, STAFF),
            new Group("interactions", Upstream.SCORING_SERVICE, MARKETING_OR_ADMIN),
            new Group("scoring", Upstream.SCORING_SERVICE, MARKETING_OR_ADMIN),
            new Group("flows", Upstream.LEAD_SERVICE, ADMIN),
            new Group("topics", Upstream.LEAD_SERVICE, ADMIN),
            new Group("routing-rules", Upstream.LEAD_SERVICE, ADMIN),
            new Group("nurture-triggers", Upstream.LEAD_SERVICE, ADMIN),
            new Group("sla", Upstream.LEAD_SERVICE, STAFF),
            new Group("campaigns", Upstream.LEAD_SERVICE, MARKETING_OR_ADMIN),
            new Group("reports", Upstream.LEAD_SERVICE, MARKETING_SALES_OR_ADMIN),
            new Group("crm", Upstream.LEAD_SERVICE, CRM_OR_ADMIN));

    private static final java.util.Map<String, Group> GROUPS_BY_NAME = GROUPS.stream()
            .collect(java.util.stream.Collectors.toUnmodifiableMap(Group::name, g -> g));

    /**
     * One line of the role table: a method ({@code *} for any), a path template on the service ({@code {x}} is one
     * path segment) and the roles of which the caller needs one. The first matching rule wins; a path of a known
     * group that no rule names takes its group's default (see {@link #groupDefault}).
     */
    record Rule(String method, String template, Set<String> roles, Pattern pattern) {

        static Rule of(String method, String template, Set<String> roles) {
            String regex = template.replaceAll("\\{[^/}]+}", "[^/]+");
            return new Rule(method, template, roles, Pattern.compile(regex));
        }

        /** The template under {@code /api}, made once. */
        String apiTemplate() {
            return API_TEMPLATES.computeIfAbsent(template, t -> API + t);
        }

        boolean matches(String requestMethod, String path) {
            return (method.equals("*") || method.equals(requestMethod)) && pattern.matcher(path).matches();
        }
    }

    /** The role table (README, "Routes and roles"); templates are the services' paths. */
    // Alike on purpose: the table is data, one rule a line in the README's order (the first match wins)
    static final List<Rule> RULES = List.of(
            // lead-service
            Rule.of("POST", "/captures", CAPTURERS),
            Rule.of("GET", "/leads", Roles.ALL),
            // lead imports before /leads/{id}: the first matching rule wins
            Rule.of("POST", "/leads/imports", MARKETING_OR_ADMIN),
            Rule.of("*", "/leads/imports/{jobId}", MARKETING_OR_ADMIN),
            Rule.of("*", "/leads/imports/{jobId}/.*", MARKETING_OR_ADMIN),
            Rule.of("POST", "/leads", STAFF),
            Rule.of("GET", "/leads/funnel", STAFF),
            Rule.of("GET", "/leads/{id}", Roles.ALL),
            Rule.of("PATCH", "/leads/{id}", STAFF),
            Rule.of("GET", "/leads/{id}/history", Roles.ALL),
            Rule.of("POST", "/leads/{id}/transitions", STAFF),
            Rule.of("POST", "/leads/{id}/sales-ready", TELESALES_OR_ADMIN),
            Rule.of("POST", "/leads/{id}/accept", SALES_OR_ADMIN),
            Rule.of("POST", "/leads/{id}/disqualify", STAFF),
            Rule.of("POST", "/leads/{id}/recycle", Set.of(Roles.TELESALES, Roles.SALES, Roles.ADMIN)),
            Rule.of("POST", "/leads/{id}/reopen", STAFF),
            Rule.of("GET", "/topics", Roles.ALL),
            Rule.of("PUT", "/topics/{id}", ADMIN),
            Rule.of("GET", "/flows", Roles.ALL),
            Rule.of("GET", "/flows/{id}", Roles.ALL),
            Rule.of("GET", "/flows/{id}/versions/{version}", Roles.ALL),
            Rule.of("PUT", "/flows/{id}", ADMIN),
            Rule.of("POST", "/flows", ADMIN),
            Rule.of("*", "/routing-rules", ADMIN),
            Rule.of("*", "/routing-rules/{id}", ADMIN),
            Rule.of("*", "/nurture-triggers", ADMIN),
            Rule.of("*", "/nurture-triggers/{id}", ADMIN),
            Rule.of("GET", "/sla/overdue", STAFF),
            Rule.of("POST", "/campaigns", MARKETING_OR_ADMIN),
            Rule.of("GET", "/campaigns", MARKETING_SALES_OR_ADMIN),
            Rule.of("GET", "/campaigns/{id}", MARKETING_SALES_OR_ADMIN),
            Rule.of("PUT", "/campaigns/{id}", MARKETING_OR_ADMIN),
            Rule.of("GET", "/reports/closed-loop", MARKETING_SALES_OR_ADMIN),
            Rule.of("*", "/crm", CRM_OR_ADMIN),
            Rule.of("*", "/crm/.*", CRM_OR_ADMIN),
            // contact-service
            Rule.of("GET", "/contacts", Roles.ALL),
            Rule.of("POST", "/contacts", STAFF),
            Rule.of("POST", "/contacts/imports", MARKETING_OR_ADMIN),
            Rule.of("*", "/contacts/imports/{jobId}", MARKETING_OR_ADMIN),
            Rule.of("POST", "/contacts/match", CAPTURERS),
            Rule.of("*", "/contacts/imports/{jobId}/.*", MARKETING_OR_ADMIN),
            Rule.of("GET", "/contacts/{id}", Roles.ALL),
            Rule.of("PATCH", "/contacts/{id}", STAFF),
            Rule.of("DELETE", "/contacts/{id}", MARKETING_OR_ADMIN),
            Rule.of("POST", "/contacts/{id}/merge", MARKETING_OR_ADMIN),
            // scoring-service
            Rule.of("POST", "/interactions", MARKETING_OR_ADMIN),
            Rule.of("GET", "/scoring/models", STAFF),
            Rule.of("GET", "/scoring/models/{id}", STAFF),
            Rule.of("GET", "/scoring/models/{id}/versions", STAFF),
            Rule.of("GET", "/scoring/models/{id}/versions/{version}", STAFF),
            Rule.of("*", "/scoring/.*", MARKETING_OR_ADMIN),
            Rule.of("GET", "/leads/{id}/scores", Roles.ALL),
            Rule.of("GET", "/leads/{id}/scores/history", Roles.ALL),
            Rule.of("GET", "/leads/{id}/scores/{modelId}/explanation", Roles.ALL));

    /** The rules by the first segment of their template, in table order: a request is matched against its own group. */
    private static final java.util.Map<String, List<Rule>> RULES_BY_SEGMENT = RULES.stream().collect(
            java.util.stream.Collectors.groupingBy(r -> r.template().substring(1).split("/", 2)[0],
                    java.util.stream.Collectors.toList()));

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
        Group group = segments[0].equals("lead-scores") ? null : GROUPS_BY_NAME.get(segments[0]);
        if (group == null) {
            return Optional.empty();
        }
        if (group.name().equals("leads") && segments.length >= 3 && !segments[1].isEmpty()
                && segments[2].equals("scores")) {
            group = GROUPS_BY_NAME.get("lead-scores");
        }
        return Optional.of(new Route(group.name(), group.upstream(), rest));
    }

    /** The first rule of the table that matches {@code method} on this route, or null. */
    Rule rule(String method) {
        int end = upstreamPath.indexOf('/', 1);
        List<Rule> candidates = RULES_BY_SEGMENT.get(upstreamPath.substring(1, end < 0 ? upstreamPath.length() : end));
        if (candidates != null) {
            for (Rule r : candidates) {
                if (r.matches(method, upstreamPath)) {
                    return r;
                }
            }
        }
        return null;
    }

    /**
     * A low-cardinality name for the metrics {@code uri} tag: the matched rule's template under {@code /api} (e.g.
     * {@code /api/leads/{id}/transitions}), else {@code /api/<group>/**}.
     */
    public String template(String method) {
        return template(rule(method));
    }

    /** {@link #template(String)} of an already matched rule (null: none). */
    String template(Rule rule) {
        if (rule != null && !rule.template().contains(".*")) {
            return rule.apiTemplate();
        }
        return group.equals("lead-scores") ? API + "/leads/{id}/scores/**" : API + "/" + group + "/**";
    }

    /** The roles of which the caller needs at least one, by the first matching rule or the group's default. */
    public Set<String> allowedRoles(String method) {
        return allowedRoles(rule(method));
    }

    /** {@link #allowedRoles(String)} of an already matched rule (null: none). */
    Set<String> allowedRoles(Rule rule) {
        return rule != null ? rule.roles() : groupDefault(group);
    }

    /** Paths of a group that the table does not name (a service may grow routes): the group's usual roles. */
    static Set<String> groupDefault(String group) {
        Group known = GROUPS_BY_NAME.get(group);
        return known == null ? Roles.ALL : known.defaultRoles();
    }
}
