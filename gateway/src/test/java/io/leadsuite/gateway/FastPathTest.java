package io.leadsuite.gateway;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Locale;
import java.util.UUID;

import org.junit.jupiter.api.Test;

import io.leadsuite.contracts.Roles;

/** The per-request helpers that replaced costlier ones on the proxy's path: same answers as before. */
class FastPathTest {

    @Test
    void serverTimingMillisAreWhatStringFormatWrote() {
        long[] samples = { 0, 1, 4_999, 5_000, 9_999, 10_000, 123_456, 999_999, 1_000_000, 1_005_000, 12_345_678,
                99_994_999, 99_995_000, 2_500_000_000L };
        for (long nanos : samples) {
            String expected = String.format(Locale.ROOT, "%.2f", new java.math.BigDecimal(nanos).movePointLeft(6)
                    .setScale(2, java.math.RoundingMode.HALF_UP).doubleValue());
            assertEquals(expected, Exchange.millis(new StringBuilder(), nanos).toString(), "nanos " + nanos);
        }
        assertEquals("0.00", Exchange.millis(new StringBuilder(), -5).toString(), "never negative");
    }

    @Test
    void serverTimingHeaderKeepsItsShape() {
        Exchange exchange = new Exchange("id", null, "/api/x", "/api/x", "/x", true, true, 1_000_000);
        exchange.sentNanos = 2_000_000;
        exchange.upstreamNanos = 4_500_000;
        assertEquals("gateway;dur=1.50, upstream;dur=2.50", exchange.serverTiming(5_000_000));
    }

    @Test
    void requestIdsAreRandomVersion4Uuids() {
        String a = ApiGateway.randomUuid();
        String b = ApiGateway.randomUuid();
        assertNotEquals(a, b);
        UUID uuid = UUID.fromString(a);
        assertEquals(4, uuid.version());
        assertEquals(2, uuid.variant());
        assertEquals(a, uuid.toString());
    }

    @Test
    void rateLimiterKeepsOneBucketPerKeyAndLimit() {
        RateLimiter limiter = new RateLimiter();
        RateLimiter.Key ana = new RateLimiter.Key("sub", "ana", "leads");
        assertTrue(limiter.take(ana, 2).allowed());
        assertTrue(limiter.take(new RateLimiter.Key("sub", "ana", "leads"), 2).allowed(), "an equal key, same bucket");
        RateLimiter.Decision third = limiter.take(ana, 2);
        assertFalse(third.allowed());
        assertTrue(third.retryAfterSeconds() >= 1);
        assertTrue(limiter.take(new RateLimiter.Key("sub", "ana", "contacts"), 2).allowed(), "another group");
        assertTrue(limiter.take(new RateLimiter.Key("sub", "bob", "leads"), 2).allowed(), "another client");
        assertTrue(limiter.take(ana, 5).allowed(), "another limit, another bucket");
    }

    @Test
    void theRuleIsLookedUpOnceAndGivesTemplateAndRoles() {
        Route route = Route.resolve("/api/leads/l-1").orElseThrow();
        Route.Rule rule = route.rule("GET");
        assertEquals("/api/leads/{id}", route.template(rule));
        assertEquals(Roles.ALL, route.allowedRoles(rule));
        Route unknown = Route.resolve("/api/leads/l-1/scoresheet").orElseThrow();
        assertEquals(null, unknown.rule("GET"));
        assertEquals("/api/leads/**", unknown.template((Route.Rule) null));
        assertEquals(Route.groupDefault("leads"), unknown.allowedRoles((Route.Rule) null));
    }
}
