package io.leadsuite.kit.security;

import java.time.Duration;
import java.util.function.LongSupplier;

import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Alternative;
import jakarta.inject.Inject;

import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.eclipse.microprofile.jwt.JsonWebToken;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Expiry;
import com.github.benmanes.caffeine.cache.Ticker;

import io.smallrye.jwt.auth.principal.DefaultJWTParser;
import io.smallrye.jwt.auth.principal.JWTCallerPrincipalFactory;
import io.smallrye.jwt.auth.principal.ParseException;

/**
 * The services' bearer-token check with a memory of the tokens it has verified, each kept until its {@code exp}. A
 * caller sends the same token with every request, and checking its RSA signature was 8-11 % of lead- and
 * contact-service's CPU under load (benchmarks/RESULTS.md); a token verified before is now looked up. Only tokens that
 * passed the full check of {@link DefaultJWTParser} are kept, matched by their exact text (the signature is part of
 * it), never beyond their expiry; a stateless JWT cannot be revoked earlier anyway.
 * <p>
 * Quarkus' bearer-token mechanism calls {@link #parse(String)}; every other method is the plain parser's, inherited. A
 * Caffeine cache bounded by memory, not by count ({@code leadsuite.security.verified-tokens.max-bytes}, each entry
 * weighed by its token's length), that evicts the least valuable entries one by one, never the whole cache.
 */
@Alternative
@Priority(1)
@ApplicationScoped
public class VerifiedTokenParser extends DefaultJWTParser {

    /** Estimated bytes of one entry besides its token's text: the parsed claims and the cache's node. */
    static final int ENTRY_OVERHEAD_BYTES = 2048;

    private final Cache<String, JsonWebToken> verified;

    @Inject
    public VerifiedTokenParser(
            @ConfigProperty(name = "leadsuite.security.verified-tokens.max-bytes", defaultValue = "4194304") long maxBytes) {
        this(null, maxBytes, Ticker.systemTicker(), System::currentTimeMillis);
    }

    /** @param principals the verifier (null: the one CDI injects, else the default one) */
    VerifiedTokenParser(JWTCallerPrincipalFactory principals, long maxBytes, Ticker ticker, LongSupplier wallMillis) {
        super(principals);
        this.verified = Caffeine.newBuilder()
                .maximumWeight(maxBytes)
                .ticker(ticker)
                // maintenance on the calling thread, a few entries at a time, not handed to the common pool
                .executor(Runnable::run)
                .<String, JsonWebToken> weigher((token, jwt) -> 2 * token.length() + ENTRY_OVERHEAD_BYTES)
                .expireAfter(Expiry.<String, JsonWebToken> writing((token, jwt) -> Duration
                        .ofMillis(Math.max(0, jwt.getExpirationTime() * 1000 - wallMillis.getAsLong()))))
                .build();
    }

    /** The token as verified before, or verified now (and kept when it has an expiry). */
    @Override
    public JsonWebToken parse(String token) throws ParseException {
        JsonWebToken known = verified.getIfPresent(token);
        if (known != null) {
            return known;
        }
        JsonWebToken jwt = super.parse(token);
        if (jwt.getExpirationTime() > 0) {
            verified.put(token, jwt);
        }
        return jwt;
    }

    /** Runs pending maintenance now (tests). */
    void cleanUp() {
        verified.cleanUp();
    }

    /** Tokens kept (exact after {@link #cleanUp()}). */
    long size() {
        return verified.estimatedSize();
    }
}
