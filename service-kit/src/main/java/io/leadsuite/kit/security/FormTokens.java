package io.leadsuite.kit.security;

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyFactory;
import java.security.PublicKey;
import java.security.spec.X509EncodedKeySpec;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import java.util.Set;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.eclipse.microprofile.jwt.JsonWebToken;
import org.jboss.logging.Logger;

import io.leadsuite.contracts.Roles;
import io.quarkus.security.AuthenticationFailedException;
import io.quarkus.security.identity.IdentityProviderManager;
import io.quarkus.security.identity.SecurityIdentity;
import io.quarkus.security.identity.request.AuthenticationRequest;
import io.quarkus.security.identity.request.TokenAuthenticationRequest;
import io.quarkus.security.runtime.QuarkusPrincipal;
import io.quarkus.security.runtime.QuarkusSecurityIdentity;
import io.quarkus.vertx.http.runtime.security.ChallengeData;
import io.quarkus.vertx.http.runtime.security.HttpAuthenticationMechanism;
import io.smallrye.jwt.auth.principal.DefaultJWTParser;
import io.smallrye.jwt.auth.principal.JWTAuthContextInfo;
import io.smallrye.jwt.auth.principal.JWTParser;
import io.smallrye.jwt.auth.principal.ParseException;
import io.smallrye.mutiny.Uni;
import io.vertx.ext.web.RoutingContext;

/**
 * The credential of public web forms: a short-lived JWT the gateway mints per form site and sends in
 * {@code X-Form-Token}, signed with a key pair of the forms' own (never the suite issuer's). A service trusts its
 * public key ({@code leadsuite.forms.public-key}) only on the paths it lists ({@code leadsuite.forms.paths}: POST
 * {@code /captures} in lead-service, {@code /contacts/match} in contact-service, which a capture calls with the
 * caller's credential), and the caller it makes has the role {@code form} and nothing else, whatever the token's
 * claims say. So a leaked form key can submit forms, and nothing more: it cannot mint a staff token.
 * <p>
 * Token checks: RS256 signature with that key, issuer {@code leadsuite.forms.issuer}, audience
 * {@value #AUDIENCE}, an expiry (30 s clock skew) and a subject {@code form:<site>}. Without the header, or on
 * another path, this mechanism steps aside and the bearer token decides.
 */
@ApplicationScoped
public class FormTokens implements HttpAuthenticationMechanism {

    private static final Logger LOG = Logger.getLogger(FormTokens.class);

    public static final String HEADER = "X-Form-Token";
    public static final String AUDIENCE = "leadsuite-forms";
    public static final String SUBJECT_PREFIX = "form:";

    private final Set<String> paths;
    private final JWTParser consumer;

    @Inject
    public FormTokens(@ConfigProperty(name = "leadsuite.forms.public-key") Optional<String> publicKey,
            @ConfigProperty(name = "leadsuite.forms.issuer", defaultValue = "urn:leadsuite:forms") String issuer,
            @ConfigProperty(name = "leadsuite.forms.paths") Optional<List<String>> paths) {
        this.paths = Set.copyOf(paths.orElse(List.of()));
        JWTParser built = null;
        if (publicKey.isPresent() && !this.paths.isEmpty()) {
            try {
                built = consumer(read(publicKey.get()), issuer);
            } catch (IllegalStateException e) {
                // the service still serves staff; web forms are refused (401) until the key is there
                LOG.errorf(e, "Web-form captures are refused: %s", e.getMessage());
            }
        }
        this.consumer = built;
    }

    /** A parser that accepts exactly the form tokens of {@code key} and {@code issuer} (RS256, audience, expiry). */
    public static JWTParser consumer(PublicKey key, String issuer) {
        JWTAuthContextInfo info = new JWTAuthContextInfo(key, issuer);
        info.setExpectedAudience(Set.of(AUDIENCE));
        info.setClockSkew(30);
        return new DefaultJWTParser(info);
    }

    /** The form site's subject ({@code form:<site>}) of a valid form token; fails for any other. */
    public static String verify(JWTParser consumer, String token) {
        JsonWebToken jwt;
        try {
            jwt = consumer.parse(token);
        } catch (ParseException | RuntimeException e) {
            throw new AuthenticationFailedException("The form token is malformed, expired or not trusted");
        }
        String subject = jwt.getSubject();
        if (subject == null || !subject.startsWith(SUBJECT_PREFIX) || subject.length() > 200) {
            throw new AuthenticationFailedException("A form token names a form site");
        }
        return subject;
    }

    @Override
    public Uni<SecurityIdentity> authenticate(RoutingContext context, IdentityProviderManager identityProviderManager) {
        String token = context.request().getHeader(HEADER);
        if (token == null || consumer == null || !paths.contains(context.normalizedPath())) {
            return Uni.createFrom().nullItem();
        }
        try {
            String subject = verify(consumer, token);
            return Uni.createFrom().item(QuarkusSecurityIdentity.builder()
                    .setPrincipal(new QuarkusPrincipal(subject))
                    .addRole(Roles.FORM)
                    .build());
        } catch (AuthenticationFailedException e) {
            LOG.debugf("Form token refused on %s: %s", context.normalizedPath(), e.getMessage());
            return Uni.createFrom().failure(e);
        }
    }

    @Override
    public Uni<ChallengeData> getChallenge(RoutingContext context) {
        return Uni.createFrom().nullItem();
    }

    @Override
    public Set<Class<? extends AuthenticationRequest>> getCredentialTypes() {
        // verified here, without an identity provider; named so that Quarkus finds one for the type
        return Set.of(TokenAuthenticationRequest.class);
    }

    static PublicKey read(String location) {
        String path = location.startsWith("file:") ? location.substring("file:".length()) : location;
        try {
            String base64 = Files.readString(Path.of(path)).replaceAll("-----[A-Z ]+-----", "").replaceAll("\\s", "");
            return KeyFactory.getInstance("RSA").generatePublic(new X509EncodedKeySpec(Base64.getDecoder().decode(base64)));
        } catch (Exception e) {
            throw new IllegalStateException("Cannot read the form tokens' public key " + location, e);
        }
    }
}
