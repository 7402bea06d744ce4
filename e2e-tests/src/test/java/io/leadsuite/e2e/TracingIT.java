package io.leadsuite.e2e;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Predicate;
import java.util.stream.Collectors;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import io.leadsuite.e2e.OtlpReceiver.Kind;
import io.leadsuite.e2e.OtlpReceiver.Span;
import io.leadsuite.kit.testing.TestTokens;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import io.restassured.specification.RequestSpecification;

/**
 * One capture is one trace. The four services export their spans to a collector in the test (OTLP/HTTP);
 * a capture sent through the gateway with a trace context of the test's own must come back as one tree: the gateway,
 * lead-service, contact-service (lead-service's REST client), lead-service's outbox relay publishing to the broker,
 * scoring-service's consumer applying it, scoring-service's relay publishing the score, and lead-service's consumer
 * applying the score to the lead.
 */
class TracingIT {

    private static final String MARKETING = TestTokens.forRoles("marketing");
    private static OtlpReceiver collector;
    private static Suite suite;

    @BeforeAll
    static void startSuite() throws Exception {
        collector = new OtlpReceiver();
        suite = new Suite(Map.of(
                "QUARKUS_OTEL_SDK_DISABLED", "false",
                "QUARKUS_OTEL_EXPORTER_OTLP_TRACES_ENDPOINT", collector.endpoint(),
                // spans leave each service within a fifth of a second instead of 5 s
                "QUARKUS_OTEL_BSP_SCHEDULE_DELAY", "200ms"));
        suite.startAll();
    }

    @AfterAll
    static void stopSuite() {
        if (suite != null) {
            suite.close();
        }
        if (collector != null) {
            collector.close();
        }
    }

    private static RequestSpecification gateway() {
        return given().baseUri("http://localhost:" + Suite.GATEWAY).auth().oauth2(MARKETING)
                .contentType(ContentType.JSON);
    }

    @Test
    void aCaptureIsOneTraceFromTheGatewayToTheScoreOnTheLead() {
        // the test is the caller: its span is the parent of the gateway's
        String traceId = HexFormat.of().formatHex(random(16));
        String callerSpanId = HexFormat.of().formatHex(random(8));
        String leadId = Captures.post(() -> gateway().header("traceparent", "00-" + traceId + "-" + callerSpanId + "-01"),
                Map.of("email", "tracy." + UUID.randomUUID() + "@example.com", "firstName", "Tracy", "lastName", "Span",
                        "company", "Acme", "topic", "solar-panels", "source", "MARKETING_FORM", "sourceRef", "form-42",
                        "consent", true))
                .then().statusCode(201).extract().path("leadId");
        await().atMost(Duration.ofSeconds(60)).until(() -> !lead(leadId).getList("scores").isEmpty());

        // the score has reached the lead; its spans arrive within a batch delay
        Trace trace = await().atMost(Duration.ofSeconds(60)).until(() -> new Trace(collector.trace(traceId)),
                t -> t.scoreApplied().isPresent() && t.has("contact-service") && t.complete(callerSpanId));
        assertEquals(List.of(), collector.unreadable(), "every export was read");
        System.out.println("[e2e] the span tree of one capture (trace " + traceId + "):\n" + trace.render(callerSpanId));

        // the gateway's span is the caller's child (one per attempt: Captures retries a 502/503/504)
        List<Span> edges = trace.spans().stream().filter(s -> s.parentSpanId().equals(callerSpanId)).toList();
        assertTrue(edges.stream().allMatch(s -> s.service().equals("gateway") && s.kind() == Kind.SERVER), edges::toString);
        Span capture = trace.first(s -> s.service().equals("lead-service") && s.kind() == Kind.SERVER
                && edges.stream().anyMatch(edge -> edge.spanId().equals(s.parentSpanId()))
                && trace.spans().stream().anyMatch(c -> c.service().equals("contact-service") && trace.descends(c, s)));
        Span leadEventsOut = trace.first(s -> s.service().equals("lead-service") && s.kind() == Kind.PRODUCER
                && s.name().equals("lead-events publish") && trace.descends(s, capture));
        Span scoring = trace.first(s -> s.service().equals("scoring-service") && s.kind() == Kind.CONSUMER
                && s.name().equals("lead-events process") && s.parentSpanId().equals(leadEventsOut.spanId()));
        Span scoreOut = trace.first(s -> s.service().equals("scoring-service") && s.kind() == Kind.PRODUCER
                && s.name().equals("score-updates publish") && trace.descends(s, scoring));
        assertTrue(trace.spans().stream().anyMatch(s -> s.service().equals("lead-service") && s.kind() == Kind.CONSUMER
                && s.name().equals("score-updates process") && s.parentSpanId().equals(scoreOut.spanId())),
                "lead-service applies the score scoring-service sent");
        assertTrue(trace.spans().stream().allMatch(s -> edges.stream().anyMatch(edge -> trace.descends(s, edge))),
                "every span of the trace hangs under the gateway's");
        assertEquals(List.of("contact-service", "gateway", "lead-service", "scoring-service"),
                trace.spans().stream().map(Span::service).distinct().sorted().toList());
    }

    private static JsonPath lead(String leadId) {
        return gateway().get("/api/leads/" + leadId).then().statusCode(200).extract().jsonPath();
    }

    private static byte[] random(int bytes) {
        byte[] b = new byte[bytes];
        ThreadLocalRandom.current().nextBytes(b);
        b[0] |= 1;
        return b;
    }

    /** The spans of one trace as received. */
    record Trace(List<Span> spans) {

        Optional<Span> scoreApplied() {
            return spans.stream().filter(s -> s.service().equals("lead-service") && s.kind() == Kind.CONSUMER
                    && s.name().equals("score-updates process")).findFirst();
        }

        boolean has(String service) {
            return spans.stream().anyMatch(s -> s.service().equals(service));
        }

        /** Every span's parent is here, but for the gateway's (the caller's span is not exported). */
        boolean complete(String callerSpanId) {
            var ids = spans.stream().map(Span::spanId).collect(Collectors.toSet());
            return spans.stream().allMatch(s -> ids.contains(s.parentSpanId()) || s.parentSpanId().equals(callerSpanId));
        }

        Span first(Predicate<Span> which) {
            return spans.stream().filter(which).min(Comparator.comparingLong(Span::startNanos))
                    .orElseThrow(() -> new AssertionError("no such span in\n" + spans));
        }

        boolean descends(Span span, Span ancestor) {
            for (Span s = span; s != null; s = parent(s)) {
                if (s.spanId().equals(ancestor.spanId())) {
                    return true;
                }
            }
            return false;
        }

        private Span parent(Span span) {
            return spans.stream().filter(s -> s.spanId().equals(span.parentSpanId())).findFirst().orElse(null);
        }

        String render(String rootParent) {
            StringBuilder out = new StringBuilder();
            spans.stream().filter(s -> s.parentSpanId().equals(rootParent)).forEach(s -> render(s, 0, out));
            return out.toString();
        }

        private void render(Span span, int depth, StringBuilder out) {
            out.append("  ".repeat(depth)).append(span.service()).append(": ").append(span.name()).append(" [")
                    .append(span.kind()).append(", ")
                    .append(String.format("%.1f", (span.endNanos() - span.startNanos()) / 1e6)).append(" ms]\n");
            spans.stream().filter(s -> Objects.equals(s.parentSpanId(), span.spanId()))
                    .sorted(Comparator.comparingLong(Span::startNanos)).forEach(s -> render(s, depth + 1, out));
        }
    }
}
