package io.leadsuite.gateway;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.util.Set;

import org.junit.jupiter.api.Test;

import io.leadsuite.contracts.Roles;

/** The routing table and the role rules, without a server. */
class RouteTest {

    @Test
    void resolvesGroupsBySegment() {
        assertEquals(new Route("leads", Upstream.LEAD_SERVICE, "/leads/l-1/scores-x"),
                Route.resolve("/api/leads/l-1/scores-x").orElseThrow());
        assertEquals(new Route("lead-scores", Upstream.SCORING_SERVICE, "/leads/l-1/scores"),
                Route.resolve("/api/leads/l-1/scores").orElseThrow());
        assertEquals(new Route("crm", Upstream.LEAD_SERVICE, "/crm"), Route.resolve("/api/crm").orElseThrow());
        assertEquals(Upstream.CONTACT_SERVICE, Route.resolve("/api/contacts/c-1/merge").orElseThrow().upstream());
        assertTrue(Route.resolve("/api").isEmpty());
        assertTrue(Route.resolve("/api/").isEmpty());
        assertTrue(Route.resolve("/apis/leads").isEmpty());
        assertTrue(Route.resolve("/leads").isEmpty());
        assertTrue(Route.resolve("/api/Leads").isEmpty());
        assertTrue(Route.resolve("/api/stream").isEmpty());
    }

    @Test
    void rolesByMethodAndGroup() {
        assertEquals(Route.CAPTURERS, Route.resolve("/api/captures").orElseThrow().allowedRoles("POST"));
        assertEquals(Route.MARKETING_OR_ADMIN,
                Route.resolve("/api/interactions").orElseThrow().allowedRoles("POST"));
        assertEquals(Route.MARKETING_OR_ADMIN, Route.resolve("/api/interactions").orElseThrow().allowedRoles("GET"));
        assertEquals(Route.CRM_OR_ADMIN, Route.resolve("/api/crm/leads/x/accept").orElseThrow().allowedRoles("GET"));
        assertEquals(Route.STAFF, Route.resolve("/api/leads/l-1/transitions").orElseThrow().allowedRoles("POST"));
        assertEquals(Set.of("marketing", "telesales", "sales", "admin", "crm"),
                Route.resolve("/api/leads/l-1").orElseThrow().allowedRoles("GET"));
        assertEquals(Route.ADMIN, Route.resolve("/api/flows/custom").orElseThrow().allowedRoles("PUT"));
        assertEquals(Roles.ALL, Route.resolve("/api/flows/custom").orElseThrow().allowedRoles("GET"));
        assertEquals(Route.TELESALES_OR_ADMIN,
                Route.resolve("/api/leads/l-1/sales-ready").orElseThrow().allowedRoles("POST"));
        // a path the table does not name takes its group's default
        assertEquals(Route.STAFF, Route.resolve("/api/contacts/c-1/notes").orElseThrow().allowedRoles("GET"));
        assertEquals(Route.MARKETING_OR_ADMIN,
                Route.resolve("/api/scoring/models/m-1/publish").orElseThrow().allowedRoles("POST"));
    }

    @Test
    void templatesKeepMetricsTagsFew() {
        assertEquals("/api/leads", Route.resolve("/api/leads").orElseThrow().template("GET"));
        assertEquals("/api/leads/{id}/history", Route.resolve("/api/leads/l-1/history").orElseThrow()
                .template("GET"));
        assertEquals("/api/leads/**", Route.resolve("/api/leads/l-1/scoresheet").orElseThrow().template("GET"));
        assertEquals("/api/leads/{id}/scores/{modelId}/explanation",
                Route.resolve("/api/leads/l-9/scores/m/explanation").orElseThrow().template("GET"));
        assertEquals("/api/leads/{id}/scores/**", Route.resolve("/api/leads/l-9/scores/m/other")
                .orElseThrow().template("GET"));
        assertEquals("/api/crm/**", Route.resolve("/api/crm/leads/x/accept").orElseThrow().template("POST"));
    }

    @Test
    void originsAreCheckedAtStartUp() {
        Origin origin = Origin.of(Upstream.LEAD_SERVICE, URI.create("https://lead.internal/base/"));
        assertEquals(443, origin.port());
        assertEquals("/base", origin.basePath());
        assertTrue(origin.serves(URI.create("https://LEAD.internal:443/base/leads/1")));
        assertThrows(IllegalArgumentException.class,
                () -> Origin.of(Upstream.LEAD_SERVICE, URI.create("ftp://lead.internal")));
        assertThrows(IllegalArgumentException.class, () -> Origin.of(Upstream.LEAD_SERVICE, URI.create("lead:8082")));
    }
}
