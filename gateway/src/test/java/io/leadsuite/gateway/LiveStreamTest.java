package io.leadsuite.gateway;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.net.URL;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.stream.Stream;

import jakarta.inject.Inject;

import org.awaitility.Awaitility;
import org.eclipse.microprofile.reactive.messaging.Channel;
import org.eclipse.microprofile.reactive.messaging.Emitter;
import org.junit.jupiter.api.Test;

import io.leadsuite.kit.testing.TestTokens;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.vertx.core.json.JsonObject;

/**
 * {@code GET /api/stream} against the real broker (the test Artemis): events published on {@code lead-events} and
 * {@code score-updates}, as lead- and scoring-service publish them, reach a connected client, filtered by role, and a
 * client that comes back with {@code Last-Event-ID} gets what it missed.
 */
@QuarkusTest
@WithTestResource(FakeUpstreams.class)
class LiveStreamTest {

    @TestHTTPResource("/")
    URL gateway;

    @Inject
    @Channel("test-lead-events")
    Emitter<JsonObject> leadEvents;

    @Inject
    @Channel("test-score-updates")
    Emitter<JsonObject> scoreUpdates;

    /** One server-sent event. */
    record Sse(String id, String event, JsonObject data) {
    }

    /** A connected client: the events it has received, in order. */
    static final class Client implements AutoCloseable {
        final BlockingQueue<Sse> events = new LinkedBlockingQueue<>();
        final Stream<String> lines;
        final Thread reader;

        Client(URL gateway, String token, String lastEventId) throws Exception {
            HttpRequest.Builder request = HttpRequest.newBuilder(gateway.toURI().resolve("/api/stream"))
                    .header("Authorization", "Bearer " + token).header("Accept", "text/event-stream");
            if (lastEventId != null) {
                request.header("Last-Event-ID", lastEventId);
            }
            HttpResponse<Stream<String>> response = HttpClient.newHttpClient().send(request.build(),
                    HttpResponse.BodyHandlers.ofLines());
            assertEquals(200, response.statusCode());
            assertTrue(response.headers().firstValue("Content-Type").orElse("").startsWith("text/event-stream"));
            lines = response.body();
            reader = new Thread(() -> {
                Map<String, String> fields = new HashMap<>();
                try {
                    lines.forEach(line -> {
                        if (line.isEmpty()) {
                            if (fields.containsKey("data")) {
                                events.add(new Sse(fields.get("id"), fields.get("event"),
                                        new JsonObject(fields.get("data"))));
                            }
                            fields.clear();
                        } else if (!line.startsWith(":")) {
                            int colon = line.indexOf(':');
                            if (colon > 0) {
                                fields.put(line.substring(0, colon), line.substring(colon + 1).trim());
                            }
                        }
                    });
                } catch (RuntimeException closed) {
                    // the test closed the stream
                }
            });
            reader.setDaemon(true);
            reader.start();
        }

        Sse next(Duration within, Predicate<Sse> matching) throws InterruptedException {
            long deadline = System.nanoTime() + within.toNanos();
            while (true) {
                Sse event = events.poll(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
                if (event == null || matching.test(event)) {
                    return event;
                }
            }
        }

        @Override
        public void close() {
            lines.close();
        }
    }

    static JsonObject envelope(String type, UUID lead, UUID contact, long sequence, JsonObject data) {
        return new JsonObject().put("id", UUID.randomUUID().toString()).put("type", type).put("version", 1)
                .put("source", "lead-service").put("time", Instant.now().toString()).put("subject", lead.toString())
                .put("sequence", sequence).put("data", data.put("leadId", lead.toString())
                        .put("contactId", contact.toString()));
    }

    static JsonObject stageChanged(UUID lead, UUID contact, String from, String to, long sequence) {
        return envelope("lead.stage-changed", lead, contact, sequence, new JsonObject().put("flow", "marketing-lead")
                .put("from", from).put("to", to).put("status", "OPEN").put("cause", "MANUAL").put("actor", "ana")
                .put("reason", "called"));
    }

    /** Publishes warm-up events until the client sees one: the gateway's subscription is then attached. */
    static void awaitSubscription(Emitter<JsonObject> leadEvents, Client client) {
        UUID probe = UUID.randomUUID();
        Awaitility.await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(300)).until(() -> {
            leadEvents.send(envelope("lead.created", probe, UUID.randomUUID(), 1, new JsonObject().put("topic", "x")
                    .put("stage", "INQUIRY").put("status", "OPEN")));
            return client.next(Duration.ofMillis(300), e -> e.data().getString("leadId").equals(probe.toString())) != null;
        });
    }

    @Test
    void aClientSeesAStageChangeWithinASecondAndResumesWithLastEventId() throws Exception {
        String telesales = TestTokens.forRoles("telesales");
        UUID lead = UUID.randomUUID();
        UUID contact = UUID.randomUUID();
        String lastSeen;
        try (Client client = new Client(gateway, telesales, null)) {
            awaitSubscription(leadEvents, client);
            leadEvents.send(stageChanged(lead, contact, "INQUIRY", "AUTOMATED_MARKETING_QUALIFICATION", 2));
            Sse changed = client.next(Duration.ofSeconds(1), e -> e.data().getString("leadId").equals(lead.toString()));
            assertNotNull(changed, "no stage change within a second");
            assertEquals("stage-changed", changed.event());
            assertEquals("AUTOMATED_MARKETING_QUALIFICATION", changed.data().getJsonObject("data").getString("to"));
            assertEquals(contact.toString(), changed.data().getString("contactId"));
            assertTrue(changed.id().matches("[0-9a-f]{8}-\\d+"), changed.id());
            lastSeen = changed.id();
        }
        // while the client is away: a stage change, then a score change. They travel on two queues, so the gateway
        // can receive them in either order; the test waits for the first before it sends the second.
        try (Client other = new Client(gateway, telesales, null)) {
            leadEvents.send(stageChanged(lead, contact, "AUTOMATED_MARKETING_QUALIFICATION",
                    "TELEPROSPECTING_ACCEPTANCE", 3));
            assertNotNull(other.next(Duration.ofSeconds(5), e -> e.event().equals("stage-changed")
                    && e.data().getString("leadId").equals(lead.toString())));
            scoreUpdates.send(envelope("score.changed", lead, contact, 7, new JsonObject().put("salesReady", false)
                    .put("scores", new io.vertx.core.json.JsonArray())));
            assertNotNull(other.next(Duration.ofSeconds(5), e -> e.event().equals("score-changed")
                    && e.data().getString("leadId").equals(lead.toString())));
        }
        try (Client back = new Client(gateway, telesales, lastSeen)) {
            Sse first = back.next(Duration.ofSeconds(5), e -> e.data().getString("leadId").equals(lead.toString()));
            assertNotNull(first, "nothing replayed after " + lastSeen);
            assertEquals("stage-changed", first.event());
            assertEquals("TELEPROSPECTING_ACCEPTANCE", first.data().getJsonObject("data").getString("to"));
            Sse second = back.next(Duration.ofSeconds(5), e -> e.data().getString("leadId").equals(lead.toString()));
            assertNotNull(second);
            assertEquals("score-changed", second.event());
        }
        // an id the gateway never gave: the client is told to reload instead of silently missing events
        try (Client lost = new Client(gateway, telesales, "someone-else-17")) {
            Sse reset = lost.next(Duration.ofSeconds(5), e -> true);
            assertNotNull(reset);
            assertEquals("reset", reset.event());
        }
    }

    @Test
    void eventsAreFilteredByTheCallersRoles() throws Exception {
        UUID lead = UUID.randomUUID();
        UUID contact = UUID.randomUUID();
        try (Client crm = new Client(gateway, TestTokens.forRoles("crm"), null);
                Client sales = new Client(gateway, TestTokens.forRoles("sales"), null)) {
            awaitSubscription(leadEvents, sales);
            leadEvents.send(stageChanged(lead, contact, "INQUIRY", "AUTOMATED_MARKETING_QUALIFICATION", 2));
            leadEvents.send(envelope("lead.sales-ready", lead, contact, 3, new JsonObject().put("topic", "solar")
                    .put("by", "SCORE").put("stage", "TELEPROSPECTING_ACCEPTANCE")));
            Predicate<Sse> ofLead = e -> e.data().getString("leadId").equals(lead.toString());
            assertEquals("stage-changed", sales.next(Duration.ofSeconds(5), ofLead).event());
            assertEquals("sales-ready", sales.next(Duration.ofSeconds(5), ofLead).event());
            // the CRM sees sales-ready leads only
            Sse crmEvent = crm.next(Duration.ofSeconds(5), ofLead);
            assertNotNull(crmEvent);
            assertEquals("sales-ready", crmEvent.event());
            assertNull(crm.next(Duration.ofMillis(300), e -> e.event().equals("stage-changed")));
        }
    }

    @Test
    void theStreamNeedsAToken() throws Exception {
        HttpResponse<String> response = HttpClient.newHttpClient().send(
                HttpRequest.newBuilder(URI.create(gateway.toString()).resolve("/api/stream")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(401, response.statusCode());
    }
}
