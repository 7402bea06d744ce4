package io.leadsuite.kit.security;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import org.eclipse.microprofile.jwt.JsonWebToken;
import org.jose4j.jwt.JwtClaims;
import org.jose4j.jwt.NumericDate;
import org.junit.jupiter.api.Test;

import io.smallrye.jwt.auth.principal.DefaultJWTCallerPrincipal;
import io.smallrye.jwt.auth.principal.JWTAuthContextInfo;
import io.smallrye.jwt.auth.principal.JWTCallerPrincipal;
import io.smallrye.jwt.auth.principal.JWTCallerPrincipalFactory;
import io.smallrye.jwt.auth.principal.ParseException;

class VerifiedTokenParserTest {

    private final AtomicLong nanos = new AtomicLong();
    private final AtomicLong wallMillis = new AtomicLong(1_800_000_000_000L);
    private final AtomicInteger verifications = new AtomicInteger();

    /** A verifier that accepts tokens starting with "good" (expiring a minute after now) and refuses the others. */
    private VerifiedTokenParser parser(long maxBytes) {
        JWTCallerPrincipalFactory verifier = new JWTCallerPrincipalFactory() {
            @Override
            public JWTCallerPrincipal parse(String token, JWTAuthContextInfo context) throws ParseException {
                verifications.incrementAndGet();
                if (!token.startsWith("good")) {
                    throw new ParseException("bad signature");
                }
                JwtClaims claims = new JwtClaims();
                claims.setExpirationTime(NumericDate.fromSeconds(wallMillis.get() / 1000 + 60));
                return new DefaultJWTCallerPrincipal(token, claims);
            }
        };
        return new VerifiedTokenParser(verifier, maxBytes, nanos::get, wallMillis::get);
    }

    @Test
    void aTokenVerifiedOnceIsLookedUpUntilItExpires() throws Exception {
        VerifiedTokenParser parser = parser(1 << 20);
        JsonWebToken first = parser.parse("good-1");
        assertSame(first, parser.parse("good-1"));
        assertEquals(1, verifications.get());
        parser.parse("good-2");
        assertEquals(2, verifications.get(), "another token is verified on its own");

        advance(Duration.ofSeconds(59));
        parser.parse("good-1");
        assertEquals(2, verifications.get());
        advance(Duration.ofSeconds(1));
        parser.parse("good-1");
        assertEquals(3, verifications.get(), "an expired token is verified again");
    }

    @Test
    void aRefusedTokenIsNeverKept() {
        VerifiedTokenParser parser = parser(1 << 20);
        assertThrows(ParseException.class, () -> parser.parse("forged"));
        assertThrows(ParseException.class, () -> parser.parse("forged"));
        assertEquals(2, verifications.get());
        parser.cleanUp();
        assertEquals(0, parser.size());
    }

    @Test
    void theMemoryIsBoundedByWeightAndNeverClearedAtOnce() throws Exception {
        // room for about ten entries of a short token
        VerifiedTokenParser parser = parser(10 * (VerifiedTokenParser.ENTRY_OVERHEAD_BYTES + 20));
        for (int i = 0; i < 100; i++) {
            parser.parse("good-" + i);
        }
        parser.cleanUp();
        long kept = parser.size();
        assertEquals(true, kept > 0 && kept <= 10, "kept " + kept);
    }

    private void advance(Duration duration) {
        nanos.addAndGet(duration.toNanos());
        wallMillis.addAndGet(duration.toMillis());
    }
}
