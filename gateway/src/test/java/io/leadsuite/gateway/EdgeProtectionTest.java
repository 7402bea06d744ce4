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
    void aWebFormPostsACaptureWithTheGatewaysOwnServiceToken() {
        String body = "{\"email\":\"ana@example.com\",\"topic\":\"solar\",\"source\":\"CRM\",\"sourceRef\":\"x\"}";
        Response response = given().header("X-Form-Key", FORM_KEY).header("Origin", "https://www.example.com")
                .header("Idempotency-Key", "k-1")
                .contentType("application/json").body(body).post("/api/forms/captures");
        response.then().statusCode(200)
                .header("Access-Control-Allow-Origin", "https://www.example.com")
                .body("service", equalTo("lead-service"))
                .body("method", equalTo("POST"))
                .body("uri", equalTo("/captures"))
                .body("headers.idempotency-key", equalTo("k-1"))
                .body("headers.authorization", matchesPattern("Bearer [A-Za-z0-9_-]+\\.[A-Za-z0-9_-]+\\.[A-Za-z0-9_-]+"));
        // the source comes from the site's configuration, not from the visitor
        String forwarded = response.path("body");
        assertTrue(forwarded.contains("\"source\":\"MARKETING_FORM\""), forwarded);
        assertTrue(forwarded.contains("\"sourceRef\":\"form-42\""), forwarded);
        String jwt = response.<String> path("headers.authorization").substring("Bearer ".length());
        String claims = new String(java.util.Base64.getUrlDecoder().decode(jwt.split("\\.")[1]));
        assertTrue(claims.contains("\"sub\":\"form:example\""), claims);
        assertTrue(claims.contains("\"groups\":[\"marketing\"]"), claims);
        assertTrue(claims.contains("\"iss\":\"urn:leadsuite:local\""), claims);
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
        // 3 a minute per site and address in tests; this test's requests come from 127.0.0.1 only
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
