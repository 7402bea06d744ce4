package io.leadsuite.kit.testing;

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.Base64;
import java.util.List;

import org.jose4j.jws.AlgorithmIdentifiers;
import org.jose4j.jws.JsonWebSignature;
import org.jose4j.jwt.JwtClaims;
import org.jose4j.lang.JoseException;

/**
 * Mints bearer tokens for tests, signed with the private key that the test infrastructure generated
 * ({@code scripts/infra.sh}), in the shape the services verify: issuer, audience, expiry and roles in {@code groups}.
 */
public final class TestTokens {

    public static final String ISSUER = "urn:leadsuite:local";
    public static final String AUDIENCE = "leadsuite";

    private TestTokens() {
    }

    /** A token valid for an hour, for a user named after its roles. */
    public static String forRoles(String... roles) {
        return mint(String.join("-", roles) + "-user", ISSUER, 3600, privateKey(), roles);
    }

    /** A token with full control over issuer, lifetime (negative: already expired) and key. */
    public static String mint(String subject, String issuer, long ttlSeconds, PrivateKey key, String... roles) {
        return mint(subject, issuer, AUDIENCE, ttlSeconds, key, roles);
    }

    /**
     * A public web form's token as the gateway mints it ({@code X-Form-Token}): the forms' own key pair
     * ({@code .run/test/keys/forms}), issuer {@code urn:leadsuite:forms}, audience {@code leadsuite-forms}, subject
     * {@code form:<site>}; {@code roles} as claimed (the services give such a caller the role form only).
     */
    public static String form(String site, String... roles) {
        return mint("form:" + site, "urn:leadsuite:forms", "leadsuite-forms", 300,
                readPrivateKey(findUpwards(Path.of(".run/test/keys/forms/private.pem"))),
                roles.length == 0 ? new String[] { "form" } : roles);
    }

    public static String mint(String subject, String issuer, String audience, long ttlSeconds, PrivateKey key,
            String... roles) {
        JwtClaims claims = new JwtClaims();
        claims.setIssuer(issuer);
        claims.setAudience(audience);
        claims.setSubject(subject);
        claims.setClaim("upn", subject);
        claims.setStringListClaim("groups", List.of(roles));
        claims.setIssuedAtToNow();
        claims.setGeneratedJwtId();
        long now = System.currentTimeMillis() / 1000;
        claims.setClaim("exp", now + ttlSeconds);
        JsonWebSignature jws = new JsonWebSignature();
        jws.setPayload(claims.toJson());
        jws.setKey(key);
        jws.setAlgorithmHeaderValue(AlgorithmIdentifiers.RSA_USING_SHA256);
        jws.setHeader("typ", "JWT");
        try {
            return jws.getCompactSerialization();
        } catch (JoseException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The test private key: {@code $JWT_PRIVATE_KEY_FILE}, else the one scripts/infra.sh wrote for tests. */
    public static PrivateKey privateKey() {
        String configured = System.getenv("JWT_PRIVATE_KEY_FILE");
        Path path = configured != null ? Path.of(configured) : findUpwards(Path.of(".run/test/keys/private.pem"));
        return readPrivateKey(path);
    }

    public static PrivateKey readPrivateKey(Path pem) {
        try {
            String base64 = Files.readString(pem).replaceAll("-----[A-Z ]+-----", "").replaceAll("\\s", "");
            return KeyFactory.getInstance("RSA")
                    .generatePrivate(new PKCS8EncodedKeySpec(Base64.getDecoder().decode(base64)));
        } catch (Exception e) {
            throw new IllegalStateException("Cannot read test private key " + pem
                    + " (start the test infrastructure: scripts/infra.sh start test)", e);
        }
    }

    private static Path findUpwards(Path relative) {
        Path dir = Path.of("").toAbsolutePath();
        while (dir != null) {
            Path candidate = dir.resolve(relative);
            if (Files.exists(candidate)) {
                return candidate;
            }
            dir = dir.getParent();
        }
        return relative;
    }
}
