package io.leadsuite.gateway;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import org.eclipse.microprofile.jwt.JsonWebToken;
import org.junit.jupiter.api.Test;

import io.quarkus.security.identity.SecurityIdentity;
import io.quarkus.security.runtime.QuarkusSecurityIdentity;

/** The verified-token cache: bounded by memory (evicting some, never all), each token gone at its {@code exp}. */
class VerifiedTokensTest {

    /** Wall clock and cache ticker, moved together. */
    private final AtomicLong wallMillis = new AtomicLong(1_800_000_000_000L);
    private final AtomicLong tickerNanos = new AtomicLong(0);

    private void advance(long millis) {
        wallMillis.addAndGet(millis);
        tickerNanos.addAndGet(TimeUnit.MILLISECONDS.toNanos(millis));
    }

    private VerifiedTokens cache(long maxBytes) {
        // maintenance on the calling thread, so that what is asserted has happened
        return new VerifiedTokens(maxBytes, tickerNanos::get, wallMillis::get, Runnable::run);
    }

    private VerifiedTokens.Caller identity(String subject, long expSeconds) {
        return VerifiedTokens.Caller.of(jwtIdentity(subject, expSeconds));
    }

    private SecurityIdentity jwtIdentity(String subject, long expSeconds) {
        JsonWebToken jwt = new JsonWebToken() {
            @Override
            public String getName() {
                return subject;
            }

            @Override
            public Set<String> getClaimNames() {
                return expSeconds > 0 ? Set.of("sub", "exp") : Set.of("sub");
            }

            @Override
            @SuppressWarnings("unchecked")
            public <T> T getClaim(String name) {
                return switch (name) {
                    case "sub" -> (T) subject;
                    case "exp" -> expSeconds > 0 ? (T) Long.valueOf(expSeconds) : null;
                    default -> null;
                };
            }

            @Override
            public long getExpirationTime() {
                return expSeconds;
            }
        };
        return QuarkusSecurityIdentity.builder().setPrincipal(jwt).addRole("admin").build();
    }

    private long inSeconds(long seconds) {
        return wallMillis.get() / 1000 + seconds;
    }

    private static String token(int i) {
        // about the size of the suite's tokens
        return "eyJhbGciOiJSUzI1NiJ9." + "x".repeat(600) + "." + i;
    }

    @Test
    void aTokenIsKeptUntilItsExpAndNotAMomentLonger() {
        VerifiedTokens tokens = cache(1 << 20);
        VerifiedTokens.Caller id = identity("ana", inSeconds(10));
        tokens.put("t1", id);
        assertSame(id, tokens.get("t1"));
        advance(9_000);
        assertSame(id, tokens.get("t1"), "still valid one second before exp");
        advance(1_000);
        assertNull(tokens.get("t1"), "gone at exp");
        tokens.cleanUp();
        assertEquals(0, tokens.size());
    }

    @Test
    void tokensExpireEachAtTheirOwnExp() {
        VerifiedTokens tokens = cache(1 << 20);
        tokens.put("short", identity("a", inSeconds(5)));
        tokens.put("long", identity("b", inSeconds(3600)));
        advance(6_000);
        assertNull(tokens.get("short"));
        assertNotNull(tokens.get("long"));
    }

    @Test
    void aTokenWithoutExpiryOrAlreadyExpiredIsNotKept() {
        VerifiedTokens tokens = cache(1 << 20);
        tokens.put("no-exp", identity("a", 0));
        tokens.put("expired", identity("b", inSeconds(-5)));
        assertNull(tokens.get("no-exp"));
        assertNull(tokens.get("expired"));
    }

    @Test
    void fullCacheEvictsSomeTokensNeverAllAndStaysWithinItsMemory() {
        long maxBytes = 100 * VerifiedTokens.weight(token(0));
        VerifiedTokens tokens = cache(maxBytes);
        for (int i = 0; i < 1_000; i++) {
            tokens.put(token(i), identity("user-" + i, inSeconds(3600)));
            // a steady client: used on every call, so it is worth keeping
            if (i == 0) {
                tokens.put("steady", identity("steady", inSeconds(3600)));
            }
            assertNotNull(tokens.get("steady"));
        }
        tokens.cleanUp();
        assertTrue(tokens.weight() <= maxBytes, "weight " + tokens.weight() + " over " + maxBytes);
        // the old scheme cleared everything when full; a bounded cache keeps close to its capacity
        assertTrue(tokens.size() >= 90, "only " + tokens.size() + " tokens kept");
        assertNotNull(tokens.get("steady"), "a token in constant use survives the churn");
    }

    @Test
    void largerTokensWeighMore() {
        assertTrue(VerifiedTokens.weight("x".repeat(4000)) > VerifiedTokens.weight("x".repeat(400)));
    }

    @Test
    void aCallerCarriesItsSubjectRolesAndExpReadOnce() {
        VerifiedTokens.Caller caller = identity("ana", inSeconds(60));
        assertEquals("ana", caller.subject());
        assertEquals(java.util.Set.of("admin"), caller.roles());
        assertEquals(inSeconds(60) * 1000, caller.expiresAtMillis());
        assertEquals("ana", caller.identity().getPrincipal().getName());
    }
}
