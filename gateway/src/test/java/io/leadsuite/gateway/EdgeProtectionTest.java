package io.leadsuite.gateway;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.matchesPattern;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URL;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.UUID;

import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

import io.leadsuite.kit.testing.TestTokens;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;

/** Trace context, timing, CORS, size limits, rate limits and the public form path. */
@QuarkusTest
@WithTestResource(FakeUpstreams.class)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class EdgeProtectionTest {

    static final String ADMIN = TestTokens.forRoles("admin");
    static final String FORM_KEY = "test-form-key-0123456789";

    @TestHTTPResource("/")
    URL gateway;

    @org.eclipse.microprofile.config.inject.ConfigProperty(name = "leadsuite.gateway.upstreams.lead-service")
    String leadService;

    @Test
    void generatesATraceparentWhenThereIsNone() {
        Response response = given().auth().oauth2(ADMIN).get("/api/leads/l-1");
        response.then().statusCode(200)
                .body("headers.traceparent", matchesPattern("00-[0-9a-f]{32}-[0-9a-f]{16}-01"));
    }

    @Test
    void keepsTheCallersTraceIdWithANewSpan() {
        String sent = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01";
        String forwarded = given().auth().oauth2(ADMIN).header("traceparent", sent).header("tracestate", "k=v")
                .get("/api/leads/l-1").then().statusCode(200)
                .body("headers.tracestate", equalTo("k=v"))
                .extract().path("headers.traceparent");
        assertTrue(forwarded.startsWith("00-4bf92f3577b34da6a3ce929d0e0e4736-"), forwarded);
        assertTrue(forwarded.endsWith("-01"), forwarded);
        assertNotEquals(sent, forwarded);
        // the service gets the gateway's span: a new span id, the caller's trace id (a malformed one starts a new trace)
        given().auth().oauth2(ADMIN).header("traceparent", "00-zz-bad").get("/api/leads/l-1").then()
                .body("headers.traceparent", matchesPattern("00-[0-9a-f]{32}-[0-9a-f]{16}-01"));
    }

    @Test
    void everyAnswerSaysWhatTimeTheGatewayAdded() {
        given().auth().oauth2(ADMIN).get("/api/leads/l-1").then().statusCode(200)
                .header("Server-Timing", matchesPattern("gateway;dur=\\d+\\.\\d\\d, upstream;dur=\\d+\\.\\d\\d"));
        given().get("/api/leads/l-1").then().statusCode(401)
                .header("Server-Timing", matchesPattern("gateway;dur=\\d+\\.\\d\\d"));
        // metrics per route and upstream
        String metrics = given().get("/q/metrics").then().statusCode(200).extract().asString();
        assertTrue(metrics.contains("leadsuite_gateway_upstream_requests_seconds_count{method=\"GET\","
                + "route=\"/api/leads/{id}\",status=\"200\",upstream=\"lead-service\"}"), "upstream metric missing");
        assertTrue(metrics.contains("leadsuite_gateway_overhead_seconds_count{route=\"/api/leads/{id}\","
                + "upstream=\"lead-service\"}"), "overhead metric missing");
    }

    @Test
    void corsOnlyForConfiguredOrigins() {
        given().header("Origin", "https://console.example.com")
                .header("Access-Control-Request-Method", "POST")
                .header("Access-Control-Request-Headers", "authorization,content-type")
                .options("/api/leads").then().statusCode(200)
                .header("Access-Control-Allow-Origin", "https://console.example.com")
                .header("Access-Control-Allow-Methods", containsString("POST"));
        given().auth().oauth2(ADMIN).header("Origin", "https://console.example.com").get("/api/leads/l-1").then()
                .statusCode(200)
                .header("Access-Control-Allow-Origin", "https://console.example.com")
                .header("Access-Control-Expose-Headers", containsString("X-Request-Id"));
        given().header("Origin", "https://evil.example.net")
                .header("Access-Control-Request-Method", "POST")
                .options("/api/leads").then()
                .header("Access-Control-Allow-Origin", nullValue());
        given().auth().oauth2(ADMIN).header("Origin", "https://evil.example.net").get("/api/leads/l-1").then()
                .statusCode(403)
                .header("Access-Control-Allow-Origin", nullValue());
    }

    @Test
    void aBodyAnnouncedTooLargeIs413BeforeAnythingIsSent() throws Exception {
        // 10 MiB is the limit; the client announces more and the gateway refuses without reading it
        HttpClient client = HttpClient.newHttpClient();
        String requestId = "big-" + UUID.randomUUID();
        byte[] body = new byte[10 * 1024 * 1024 + 1];
        HttpResponse<String> response = client.send(HttpRequest.newBuilder(gateway.toURI().resolve("/api/captures"))
                .header("Authorization", "Bearer " + ADMIN).header("X-Request-Id", requestId)
                .header("Content-Type", "application/octet-stream")
                .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(413, response.statusCode());
        assertEquals("application/problem+json", response.headers().firstValue("Content-Type").orElse(""));
        assertTrue(response.body().contains("payload-too-large"), response.body());
    }

    @Test
    void aChunkedBodyGrowingTooLargeIs413() throws Exception {
        HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        int total = 11 * 1024 * 1024;
        // 11 MiB without Content-Length: counted as it streams, refused at 10 MiB
        HttpRequest.BodyPublisher publisher = HttpRequest.BodyPublishers.ofInputStream(() -> new java.io.InputStream() {
            int remaining = total;

            @Override
            public int read() {
                return remaining-- > 0 ? 7 : -1;
            }

            @Override
            public int read(byte[] b, int off, int len) {
                if (remaining <= 0) {
                    return -1;
                }
                int n = Math.min(len, remaining);
                remaining -= n;
                return n;
            }
        });
        HttpResponse<String> response;
        try {
            response = client.send(HttpRequest.newBuilder(gateway.toURI().resolve("/api/interactions"))
                    .header("Authorization", "Bearer " + ADMIN).header("Content-Type", "application/octet-stream")
                    .POST(publisher).build(), HttpResponse.BodyHandlers.ofString());
        } catch (java.io.IOException e) {
            // the gateway may close the connection while the client is still sending: a refusal too
            return;
        }
        assertEquals(413, response.statusCode(), response.body());
        assertTrue(response.body().contains("payload-too-large"), response.body());
    }

    @Test
    void headersTooLargeAre431() {
        given().auth().oauth2(ADMIN).header("X-Filler", "x".repeat(20_000)).get("/api/leads/l-1").then()
                .statusCode(431).contentType("application/problem+json")
                .body("type", equalTo("https://leadsuite.io/problems/headers-too-large"));
    }

    @Test
    void rateLimitPerClientAndRouteAnswers429WithRetryAfter() {
        // flows: 20 requests a minute per client in tests
        String token = TestTokens.mint("rate-" + UUID.randomUUID(), TestTokens.ISSUER, 3600, TestTokens.privateKey(),
                "sales");
        // the bucket refills continuously (one token every 3 s), so a slow machine may squeeze in a few more
        int admitted = 0;
        while (given().auth().oauth2(token).get("/api/flows").then().extract().statusCode() == 200) {
            admitted++;
            assertTrue(admitted < 40, "no 429 after " + admitted + " requests");
        }
        assertTrue(admitted >= 20, "429 after only " + admitted + " requests");
        given().auth().oauth2(token).get("/api/flows").then().statusCode(429)
                .contentType("application/problem+json")
                .header("Retry-After", matchesPattern("[1-9][0-9]*"))
                .body("type", equalTo("https://leadsuite.io/problems/too-many-requests"));
        // another route of the same client, and the same route for another client, are not affected
        given().auth().oauth2(token).get("/api/leads/l-1").then().statusCode(200);
        given().auth().oauth2(TestTokens.mint("other-" + UUID.randomUUID(), TestTokens.ISSUER, 3600,
                TestTokens.privateKey(), "sales")).get("/api/flows").then().statusCode(200);
    }

    @Test
    @Order(1)
    void aWebFormPostsACaptureWithAFormTokenThatNoStaffRouteAccepts() throws Exception {
        String body = "{\"email\":\"ana@example.com\",\"topic\":\"solar\",\"source\":\"CRM\",\"sourceRef\":\"x\"}";
        String requestId = "form-" + UUID.randomUUID();
        given().header("X-Form-Key", FORM_KEY).header("Origin", "https://www.example.com")
                .header("Idempotency-Key", "k-1").header("X-Request-Id", requestId)
                .contentType("application/json").body(body).post("/api/forms/captures")
                .then().statusCode(202)
                .header("Access-Control-Allow-Origin", "https://www.example.com")
                .header("Location", nullValue())
                .body(equalTo("{\"status\":\"received\"}"));
        Response forwarded = given().baseUri(leadService).get("/_echo?requestId=" + requestId);
        forwarded.then().statusCode(200)
                .body("method", equalTo("POST"))
                .body("uri", equalTo("/captures"))
                .body("headers.idempotency-key", equalTo("k-1"))
                // no bearer token at all: the form's credential travels in a header of its own
                .body("headers.authorization", nullValue())
                .body("headers.x-form-token", matchesPattern("[A-Za-z0-9_-]+\\.[A-Za-z0-9_-]+\\.[A-Za-z0-9_-]+"));
        // the source comes from the site's configuration, not from the visitor
        String sent = forwarded.path("body");
        assertTrue(sent.contains("\"source\":\"MARKETING_FORM\""), sent);
        assertTrue(sent.contains("\"sourceRef\":\"form-42\""), sent);
        String jwt = forwarded.path("headers.x-form-token");
        String claims = new String(java.util.Base64.getUrlDecoder().decode(jwt.split("\\.")[1]));
        assertTrue(claims.contains("\"sub\":\"form:example\""), claims);
        assertTrue(claims.contains("\"groups\":[\"form\"]"), claims);
        assertTrue(claims.contains("\"iss\":\"urn:leadsuite:forms\""), claims);
        assertTrue(claims.contains("\"aud\":\"leadsuite-forms\""), claims);
        // signed with the forms' own key: the suite's public key (every staff route's) does not verify it, and the
        // gateway itself refuses it as a bearer token
        java.security.Signature rsa = java.security.Signature.getInstance("SHA256withRSA");
        rsa.initVerify(io.smallrye.jwt.util.KeyUtils
                .decodePublicKey(java.nio.file.Files.readString(java.nio.file.Path.of("../.run/test/keys/public.pem"))));
        String[] parts = jwt.split("\\.");
        rsa.update((parts[0] + "." + parts[1]).getBytes(java.nio.charset.StandardCharsets.US_ASCII));
        assertTrue(!rsa.verify(java.util.Base64.getUrlDecoder().decode(parts[2])), "signed with the issuer's key");
        given().auth().oauth2(jwt).get("/api/leads/l-1").then().statusCode(401);
    }

    @Test
    @Order(1)
    void anAnonymousCallerNeverLearnsWhetherTheEmailWasKnown() {
        // lead-service answers a known e-mail with 200 and ids, a new one otherwise: the visitor sees one answer
        for (String email : new String[] { "known@example.com", "new-" + UUID.randomUUID() + "@example.com" }) {
            Response answer = given().header("X-Form-Key", FORM_KEY).header("Origin", "https://www.example.com")
                    .header("X-Forwarded-For", "198.51.100." + (email.startsWith("known") ? 7 : 8))
                    .contentType("application/json").body("{\"email\":\"" + email + "\",\"topic\":\"solar\"}")
                    .post("/api/forms/captures");
            answer.then().statusCode(202).header("Location", nullValue())
                    .body(equalTo("{\"status\":\"received\"}"));
        }
    }

    @Test
    @Order(3)
    void theRateLimitCountsEachVisitorBehindTheTrustedProxy() {
        // the test client (127.0.0.1) is the trusted proxy here: each visitor it forwards has a budget of its own
        for (int visitor = 1; visitor <= 5; visitor++) {
            for (int i = 0; i < 3; i++) {
                given().header("X-Form-Key", FORM_KEY).header("Origin", "https://www.example.com")
                        // a forged entry at the left is the visitor's own claim: only the rightmost counts
                        .header("X-Forwarded-For", "203.0.113.99, 192.0.2." + visitor)
                        .contentType("application/json").body("{\"email\":\"v@example.com\"}")
                        .post("/api/forms/captures").then().statusCode(202);
            }
            given().header("X-Form-Key", FORM_KEY).header("Origin", "https://www.example.com")
                    .header("X-Forwarded-For", "203.0.113." + visitor + ", 192.0.2." + visitor)
                    .contentType("application/json").body("{}").post("/api/forms/captures").then().statusCode(429);
        }
        // RFC 7239 Forwarded is read as well
        given().header("X-Form-Key", FORM_KEY).header("Origin", "https://www.example.com")
                .header("Forwarded", "for=\"[2001:db8::7]:4711\";proto=https")
                .contentType("application/json").body("{\"email\":\"v@example.com\"}")
                .post("/api/forms/captures").then().statusCode(202);
    }

    @Test
    @Order(4)
    void aSiteHasABudgetOfItsOwnBesidesEachVisitors() {
        // 30 a minute per site in tests, most of it spent by the tests before: many visitors together still reach it
        int refused = 0;
        for (int visitor = 0; visitor < 25; visitor++) {
            int status = given().header("X-Form-Key", FORM_KEY).header("Origin", "https://www.example.com")
                    .header("X-Forwarded-For", "192.0.2." + (100 + visitor))
                    .contentType("application/json").body("{\"email\":\"v@example.com\"}")
                    .post("/api/forms/captures").then().extract().statusCode();
            refused += status == 429 ? 1 : 0;
        }
        assertTrue(refused >= 5, "the site's budget never ran out: " + refused + " refused");
    }

    @Test
    void consentConfirmationIsPublicAndRateLimitedPerVisitor() {
        // no token needed: the confirmation token in the body is the credential (contact-service checks it)
        String requestId = "consent-" + UUID.randomUUID();
        given().header("X-Request-Id", requestId).header("X-Forwarded-For", "192.0.2.201")
                .contentType("application/json").body("{\"token\":\"t-1\"}").post("/api/consent/confirm")
                .then().statusCode(200).body("service", equalTo("contact-service"))
                .body("uri", equalTo("/consent/confirm"));
        int refused = 0;
        for (int i = 0; i < 5; i++) {
            refused += given().header("X-Forwarded-For", "192.0.2.202").contentType("application/json")
                    .body("{\"token\":\"t-1\"}").post("/api/consent/confirm").then().extract().statusCode() == 429
                            ? 1
                            : 0;
        }
        assertTrue(refused >= 1, "no 429 after 5 confirmations from one address");
    }

    @Test
    void aWebFormNeedsItsKeyAndItsOrigin() {
        given().header("Origin", "https://www.example.com").contentType("application/json").body("{}")
                .post("/api/forms/captures").then().statusCode(401).contentType("application/problem+json");
        given().header("X-Form-Key", "wrong").header("Origin", "https://www.example.com")
                .contentType("application/json").body("{}")
                .post("/api/forms/captures").then().statusCode(401);
        given().header("X-Form-Key", FORM_KEY).header("Origin", "https://console.example.com")
                .contentType("application/json").body("{}")
                .post("/api/forms/captures").then().statusCode(403).contentType("application/problem+json")
                .body("detail", containsString("https://www.example.com"));
    }

    @Test
    @Order(2)
    void aWebFormIsRateLimitedAndItsBodyChecked() {
        // 3 a minute per site and address in tests; this test's requests come from 127.0.0.1 only (no forwarding
        // header: the trusted proxy's own address is the client)
        int answered429 = 0;
        for (int i = 0; i < 4; i++) {
            int status = given().header("X-Form-Key", FORM_KEY).header("Origin", "https://www.example.com")
                    .contentType("application/json").body(i == 0 ? "[1,2]" : "{\"email\":\"b@example.com\"}")
                    .post("/api/forms/captures").then().extract().statusCode();
            if (i == 0) {
                assertEquals(400, status);
            }
            answered429 += status == 429 ? 1 : 0;
        }
        assertTrue(answered429 >= 1, "no 429 after 4 submissions");
        given().header("X-Form-Key", FORM_KEY).header("Origin", "https://www.example.com")
                .contentType("application/json").body("{}").post("/api/forms/captures").then().statusCode(429)
                .header("Retry-After", not(nullValue()));
    }
}
