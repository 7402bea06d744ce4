package io.leadsuite.gateway;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.nullValue;
import static org.hamcrest.Matchers.startsWith;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashSet;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;

import io.leadsuite.kit.testing.TestTokens;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;

/** The console at {@code /} served with its security headers, and {@code /api} as it was. */
@QuarkusTest
@WithTestResource(FakeUpstreams.class)
class ConsoleTest {

    private static final Pattern IMPORT = Pattern.compile("from '\\./([a-z-]+\\.js)'");

    @Test
    void theConsoleIsServedAtTheRootWithAStrictContentSecurityPolicy() {
        given().get("/").then().statusCode(200)
                .contentType(startsWith("text/html"))
                .body(containsString("<script type=\"module\" src=\"/console/app.js\"></script>"))
                .body(containsString("/console/console.css"))
                .header("Content-Security-Policy", Console.CSP)
                .header("Content-Security-Policy", containsString("script-src 'self';"))
                .header("Content-Security-Policy", containsString("connect-src 'self';"))
                .header("Content-Security-Policy", containsString("frame-ancestors 'none'"))
                .header("X-Content-Type-Options", "nosniff")
                .header("X-Frame-Options", "DENY")
                .header("Referrer-Policy", "no-referrer")
                .header("Cache-Control", "no-cache");
        // nothing inline, nothing from elsewhere: the policy needs no 'unsafe-*' and names no other origin
        assertFalse(Console.CSP.contains("unsafe"));
        assertFalse(Console.CSP.contains("http"));
        assertFalse(Console.CSP.contains("*"));
    }

    @Test
    void withoutAnIdentityProviderTheConsoleOffersThePastedTokenOnly() {
        given().get("/console/config.json").then().statusCode(200).contentType("application/json")
                .body("oidc", nullValue());
        given().get("/").then().statusCode(200).header("Content-Security-Policy", equalTo(Console.CSP));
    }

    @Test
    void everyModuleTheConsoleImportsIsServedAsJavaScript() {
        Set<String> seen = new HashSet<>();
        Deque<String> todo = new ArrayDeque<>();
        todo.add("app.js");
        while (!todo.isEmpty()) {
            String module = todo.pop();
            if (!seen.add(module)) {
                continue;
            }
            String source = given().get("/console/" + module).then().statusCode(200)
                    .contentType(startsWith("text/javascript"))
                    .header("Content-Security-Policy", Console.CSP)
                    .extract().asString();
            // no markup from strings: every text goes in as a text node
            assertFalse(source.contains("innerHTML"), module + " uses innerHTML");
            Matcher imports = IMPORT.matcher(source);
            while (imports.find()) {
                todo.add(imports.group(1));
            }
        }
        assertTrue(seen.containsAll(Set.of("app.js", "api.js", "live.js", "board.js", "lead.js", "imports.js",
                "contact.js", "queue.js", "models.js", "funnel.js", "leads.js", "dom.js", "campaigns.js", "report.js")),
                seen.toString());
        given().get("/console/console.css").then().statusCode(200).contentType(startsWith("text/css"));
        given().get("/console/nothing-here.js").then().statusCode(404);
    }

    @Test
    void theApiIsRoutedAsBeforeAndGetsNoPageHeaders() {
        given().get("/api/leads").then().statusCode(401)
                .contentType("application/problem+json")
                .header("Content-Security-Policy", nullValue())
                .header("X-Frame-Options", nullValue());
        given().auth().oauth2(TestTokens.forRoles("marketing")).get("/api/flows").then().statusCode(200)
                .header("Content-Security-Policy", nullValue())
                .body("service", equalTo("lead-service"))
                .body("uri", equalTo("/flows"));
        given().get("/api").then().statusCode(401).header("Content-Security-Policy", nullValue());
        given().get("/q/health/live").then().statusCode(200).header("Content-Security-Policy", nullValue());
        // a path that only starts like the API is a page path
        given().get("/apis").then().statusCode(404).header("Content-Security-Policy", Console.CSP);
    }
}
