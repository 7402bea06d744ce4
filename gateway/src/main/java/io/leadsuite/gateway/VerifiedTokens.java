package io.leadsuite.gateway;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import org.eclipse.microprofile.jwt.JsonWebToken;

import io.quarkus.security.identity.SecurityIdentity;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerRequest;

/**
 * Bearer tokens the gateway has already verified, each kept with its identity until the token expires. A client sends
 * the same token with every call, and checking its RSA signature and parsing its claims was about a third of the
 * gateway's CPU per proxied request (benchmarks/RESULTS.md); a token seen before is now looked up instead. Only tokens
 * that passed the full check are kept, they are matched by their exact text, and none outlives its {@code exp} (a
 * stateless JWT cannot be revoked earlier either). The map is bounded: when full, it starts afresh.
 */
final class VerifiedTokens {

    private static final String BEARER = "bearer ";

    private final int capacity;
    private final Map<String, Verified> tokens = new ConcurrentHashMap<>();

    private record Verified(SecurityIdentity identity, long expiresAtMillis) {
    }

    VerifiedTokens(int capacity) {
        this.capacity = capacity;
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

    /** The identity of a token verified before and not yet expired, or null. */
    SecurityIdentity get(String token, long nowMillis) {
        Verified verified = tokens.get(token);
        if (verified == null) {
            return null;
        }
        if (verified.expiresAtMillis() <= nowMillis) {
            tokens.remove(token, verified);
            return null;
        }
        return verified.identity();
    }

    /** Keeps a token that has just passed verification; one without an expiry is not kept. */
    void put(String token, SecurityIdentity identity) {
        if (!(identity.getPrincipal() instanceof JsonWebToken jwt) || jwt.getExpirationTime() <= 0) {
            return;
        }
        if (tokens.size() >= capacity) {
            tokens.clear();
        }
        tokens.put(token, new Verified(identity, jwt.getExpirationTime() * 1000));
    }

    /** Drops the expired tokens (run now and then). */
    void sweep(long nowMillis) {
        tokens.values().removeIf(v -> v.expiresAtMillis() <= nowMillis);
    }
}
