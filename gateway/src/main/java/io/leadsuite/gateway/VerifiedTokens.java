package io.leadsuite.gateway;

import java.time.Duration;
import java.util.Set;
import java.util.concurrent.Executor;
import java.util.function.LongSupplier;

import org.eclipse.microprofile.jwt.JsonWebToken;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Expiry;
import com.github.benmanes.caffeine.cache.Ticker;

import io.quarkus.security.identity.SecurityIdentity;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerRequest;

/**
 * Bearer tokens the gateway has already verified, each kept with its identity until the token expires. A client sends
 * the same token with every call, and checking its RSA signature and parsing its claims was about a third of the
 * gateway's CPU per proxied request (benchmarks/RESULTS.md); a token seen before is now looked up instead. Only tokens
 * that passed the full check are kept, they are matched by their exact text, and none outlives its {@code exp} (a
 * stateless JWT cannot be revoked earlier either).
 * <p>
 * A Caffeine cache bounded by memory, not by count: each entry weighs what it is estimated to hold (the token's text,
 * which the identity's principal holds a second time, and its parsed claims), and when the total would exceed the
 * limit the least valuable entries (Caffeine's W-TinyLFU) are evicted one by one, never the whole cache at once.
 */
final class VerifiedTokens {

    private static final String BEARER = "bearer ";
    /**
     * Estimated bytes of one entry besides the token's text: the identity, the principal, its parsed claims (a map
     * of a dozen entries), the roles set and the cache's own node.
     */
    static final int ENTRY_OVERHEAD_BYTES = 2048;

    private final Cache<String, Caller> tokens;

    /**
     * A verified caller as the gateway needs it on every request: the identity, and its subject and roles read once
     * (the principal's {@code getName()} looks the claims up again on every call).
     */
    record Caller(SecurityIdentity identity, String subject, Set<String> roles, long expiresAtMillis) {

        static Caller of(SecurityIdentity identity) {
            long exp = identity.getPrincipal() instanceof JsonWebToken jwt ? jwt.getExpirationTime() * 1000 : 0;
            return new Caller(identity, identity.getPrincipal().getName(), identity.getRoles(), exp);
        }
    }

    /**
     * The gateway's cache: real clocks; the cache's maintenance (draining its read buffer, expiry, eviction) runs on
     * the thread that triggers it, a few entries at a time, instead of being handed to the common pool, which on
     * every drain woke a pool thread (a submission to the common pool was on the profile of every few requests).
     */
    VerifiedTokens(long maxBytes) {
        this(maxBytes, Ticker.systemTicker(), System::currentTimeMillis, Runnable::run);
    }

    /**
     * @param maxBytes the memory the entries may take together (estimated, see {@link #weight})
     * @param ticker the cache's clock (nanoseconds)
     * @param wallMillis the wall clock the tokens' {@code exp} is compared with
     * @param executor where Caffeine does its maintenance
     */
    VerifiedTokens(long maxBytes, Ticker ticker, LongSupplier wallMillis, Executor executor) {
        this.tokens = Caffeine.newBuilder()
                .maximumWeight(maxBytes)
                .ticker(ticker)
                .executor(executor)
                .<String, Caller> weigher((token, verified) -> weight(token))
                .expireAfter(Expiry.<String, Caller> writing((token, verified) -> Duration
                        .ofMillis(Math.max(0, verified.expiresAtMillis() - wallMillis.getAsLong()))))
                .build();
    }

    /** The estimated bytes a token and its identity take in the cache. */
    static int weight(String token) {
        // the token's text as the key and again in the principal (compact strings: a byte per character), plus the rest
        return 2 * token.length() + ENTRY_OVERHEAD_BYTES;
    }

    /** The bearer token of the request, or null. */
    static String bearer(HttpServerRequest request) {
        String header = request.getHeader(HttpHeaders.AUTHORIZATION);
        if (header == null || header.length() <= BEARER.length()
                || !header.regionMatches(true, 0, BEARER, 0, BEARER.length())) {
            return null;
        }
        return header.substring(BEARER.length()).trim();
    }

    /** The caller of a token verified before and not yet expired, or null. */
    Caller get(String token) {
        return tokens.getIfPresent(token);
    }

    /** Keeps a token that has just passed verification; one without an expiry is not kept. */
    void put(String token, Caller caller) {
        if (caller.expiresAtMillis() <= 0) {
            return;
        }
        tokens.put(token, caller);
    }

    /** Runs the cache's pending maintenance (expired entries dropped, evictions) now. */
    void cleanUp() {
        tokens.cleanUp();
    }

    /** Tokens kept (an estimate, after {@link #cleanUp()}: exact). */
    long size() {
        return tokens.estimatedSize();
    }

    /** The estimated bytes the kept tokens take. */
    long weight() {
        return tokens.policy().eviction().map(e -> e.weightedSize().orElse(0)).orElse(0L);
    }
}
