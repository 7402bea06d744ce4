package io.leadsuite.gateway;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URL;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import io.leadsuite.kit.testing.TestTokens;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;

/**
 * What the gateway's own expensive views cost a caller: the combined OpenAPI document is built once per cache period
 * and rate limited per client address; a caller may hold a bounded number of live streams, and a stream ends when the
 * token it was opened with expires.
 */
@QuarkusTest
@TestProfile(EdgeBudgetsTest.SmallBudgets.class)
class EdgeBudgetsTest {

    public static class SmallBudgets implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("leadsuite.gateway.openapi.per-minute", "6", "leadsuite.gateway.openapi.cache-ttl", "60s",
                    "leadsuite.gateway.stream.max-per-user", "2");
        }

        @Override
        public List<TestResourceEntry> testResources() {
            return List.of(new TestResourceEntry(FakeUpstreams.class));
        }
    }

    @TestHTTPResource("/")
    URL gateway;

    @Inject
    CombinedOpenApi openApi;

    @Test
    void theCombinedDocumentIsBuiltOnceAndRateLimitedPerClient() {
        long before = openApi.builds();
        long started = System.nanoTime();
        for (int i = 0; i < 6; i++) {
            given().get("/api/openapi").then().statusCode(200).body("paths", org.hamcrest.Matchers.notNullValue());
        }
        assertEquals(1, openApi.builds() - before, "six requests, one build from the services' documents");
        // the bucket refills one request per ten seconds: on a slow machine the six may have earned more
        int answered = 0;
        io.restassured.response.Response refused;
        while ((refused = given().get("/api/openapi")).statusCode() == 200) {
            answered++;
            long refilled = Duration.ofNanos(System.nanoTime() - started).toSeconds() / 10 + 1;
            assertTrue(answered <= refilled, answered + " more answers than the refill of " + refilled + " allows");
        }
        refused.then().statusCode(429).contentType("application/problem+json")
                .header("Retry-After", org.hamcrest.Matchers.notNullValue())
                .body("status", equalTo(429));
    }

    private HttpResponse<Stream<String>> open(String token) throws Exception {
        return HttpClient.newHttpClient().send(HttpRequest.newBuilder(gateway.toURI().resolve("/api/stream"))
                .header("Authorization", "Bearer " + token).header("Accept", "text/event-stream").build(),
                HttpResponse.BodyHandlers.ofLines());
    }

    @Test
    void aCallerHoldsAtMostTheConfiguredNumberOfStreams() throws Exception {
        String subject = "streamer-" + UUID.randomUUID();
        String token = TestTokens.mint(subject, TestTokens.ISSUER, 3600, TestTokens.privateKey(), "sales");
        List<HttpResponse<Stream<String>>> open = new ArrayList<>();
        try {
            open.add(open(token));
            open.add(open(token));
            open.forEach(r -> assertEquals(200, r.statusCode()));
            HttpResponse<Stream<String>> third = open(token);
            assertEquals(429, third.statusCode());
            assertTrue(third.headers().firstValue("Content-Type").orElse("").startsWith("application/problem+json"));
            assertTrue(third.body().collect(Collectors.joining()).contains("too-many-streams"));
            // another caller is not affected
            HttpResponse<Stream<String>> other = open(TestTokens.mint("other-" + UUID.randomUUID(), TestTokens.ISSUER,
                    3600, TestTokens.privateKey(), "sales"));
            assertEquals(200, other.statusCode());
            open.add(other);
        } finally {
            open.forEach(r -> r.body().close());
        }
        // a closed stream frees its place
        org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> {
            HttpResponse<Stream<String>> again = open(token);
            again.body().close();
            return again.statusCode() == 200;
        });
    }

    @Test
    void aStreamEndsWhenItsTokenExpires() throws Exception {
        String token = TestTokens.mint("brief-" + UUID.randomUUID(), TestTokens.ISSUER, 4, TestTokens.privateKey(),
                "sales");
        HttpResponse<Stream<String>> stream = open(token);
        assertEquals(200, stream.statusCode());
        long started = System.nanoTime();
        CompletableFuture<List<String>> lines = CompletableFuture.supplyAsync(() -> stream.body().toList());
        List<String> all = lines.get(20, TimeUnit.SECONDS); // the server ends the stream: the list completes
        assertTrue(System.nanoTime() - started < TimeUnit.SECONDS.toNanos(15));
        assertTrue(all.contains("event: token-expired"), all.toString());
    }
}
