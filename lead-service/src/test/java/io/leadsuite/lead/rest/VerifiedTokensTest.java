package io.leadsuite.lead.rest;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import io.leadsuite.kit.security.VerifiedTokenParser;
import io.leadsuite.kit.testing.TestTokens;
import io.quarkus.test.junit.QuarkusTest;
import io.smallrye.jwt.auth.principal.JWTParser;

/**
 * The service checks bearer tokens through the kit's {@link VerifiedTokenParser}: a token verified once is looked up
 * after that, and nothing that failed the check (forged, expired, another issuer) ever gets in, before or after a good
 * token was kept.
 */
@QuarkusTest
class VerifiedTokensTest {

    @Inject
    JWTParser parser;

    @Test
    void tokensAreCheckedThroughTheKitsMemoryOfVerifiedTokens() {
        assertInstanceOf(VerifiedTokenParser.class, parser);
        String token = TestTokens.forRoles("marketing");
        given().auth().oauth2(token).get("/leads").then().statusCode(200);
        given().auth().oauth2(token).get("/leads").then().statusCode(200);

        // the kept token's claims with another signature: its text differs, so it is checked, and refused
        String forged = token.substring(0, token.lastIndexOf('.') + 1) + "AAAA" + token.substring(token.lastIndexOf('.') + 5);
        given().auth().oauth2(forged).get("/leads").then().statusCode(401);
        given().auth().oauth2(TestTokens.mint("late-user", TestTokens.ISSUER, -60, TestTokens.privateKey(), "marketing"))
                .get("/leads").then().statusCode(401);
        given().auth().oauth2(TestTokens.mint("other-user", "urn:someone:else", 3600, TestTokens.privateKey(),
                "marketing")).get("/leads").then().statusCode(401);
        given().auth().oauth2(token).get("/leads").then().statusCode(200);
    }
}
