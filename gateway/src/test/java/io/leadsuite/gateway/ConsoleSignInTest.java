package io.leadsuite.gateway;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

import java.util.Map;

import org.junit.jupiter.api.Test;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;

/**
 * The console's sign-in with a cluster's identity provider: the gateway names the issuer and the console's client id
 * at {@code /console/config.json}, and its page policy admits the issuer's origin for the console's calls to it.
 */
@QuarkusTest
@TestProfile(ConsoleSignInTest.WithIdentityProvider.class)
@WithTestResource(FakeUpstreams.class)
class ConsoleSignInTest {

    public static class WithIdentityProvider implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("leadsuite.gateway.console.oidc.issuer", "https://id.example.com:8443/realms/sales",
                    "leadsuite.gateway.console.oidc.client-id", "lead-console");
        }
    }

    @Test
    void theConsoleReadsTheIssuerAndClientIdAndMayCallTheIssuer() {
        given().get("/console/config.json").then().statusCode(200)
                .contentType("application/json")
                .body("oidc.issuer", equalTo("https://id.example.com:8443/realms/sales"))
                .body("oidc.clientId", equalTo("lead-console"))
                .body("oidc.scopes", equalTo("openid"));
        given().get("/").then().statusCode(200)
                .header("Content-Security-Policy", containsString("connect-src 'self' https://id.example.com:8443;"))
                .header("Content-Security-Policy", containsString("script-src 'self';"));
    }
}
