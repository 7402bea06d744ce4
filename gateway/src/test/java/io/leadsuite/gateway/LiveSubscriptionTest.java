package io.leadsuite.gateway;

import static io.leadsuite.gateway.LiveStreamTest.stageChanged;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URL;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import java.util.function.Predicate;

import jakarta.inject.Inject;

import org.awaitility.Awaitility;
import org.eclipse.microprofile.reactive.messaging.Channel;
import org.eclipse.microprofile.reactive.messaging.Emitter;
import org.junit.jupiter.api.Test;

import io.leadsuite.gateway.LiveStreamTest.Client;
import io.leadsuite.gateway.LiveStreamTest.Sse;
import io.leadsuite.kit.testing.TestTokens;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.vertx.core.json.JsonObject;

/**
 * The live stream's subscription against the real broker (the test Artemis), with a linger of one second: the gateway
 * is subscribed to the suite's events only while a stream is open; a stream answers once it is, so the first event
 * published after that reaches it; and a client that comes back after the subscription was dropped is told to reload
 * rather than silently missing what was published meanwhile.
 */
@QuarkusTest
@TestProfile(LiveSubscriptionTest.ShortLinger.class)
@WithTestResource(FakeUpstreams.class)
class LiveSubscriptionTest {

    public static class ShortLinger implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("leadsuite.gateway.stream.linger", "1s");
        }
    }

    @TestHTTPResource("/")
    URL gateway;

    @Inject
    @Channel("test-lead-events")
    Emitter<JsonObject> leadEvents;

    @Inject
    LiveSubscription subscription;

    @Test
    void subscribedOnlyWhileAStreamIsOpenAndAClientBackAfterItWasDroppedIsToldToReload() throws Exception {
        // no stream open (another test's linger may still run out)
        Awaitility.await().atMost(Duration.ofSeconds(15)).until(() -> !subscription.attached());
        String sales = TestTokens.forRoles("sales");
        UUID lead = UUID.randomUUID();
        UUID contact = UUID.randomUUID();
        Predicate<Sse> ofLead = e -> lead.toString().equals(e.data().getString("leadId"));
        String lastSeen;
        try (Client client = new Client(gateway, sales, null)) {
            assertTrue(subscription.attached());
            // no warm-up: the stream answered once the subscription was in place
            leadEvents.send(stageChanged(lead, contact, "INQUIRY", "AUTOMATED_MARKETING_QUALIFICATION", 2));
            Sse first = client.next(Duration.ofSeconds(5), ofLead);
            assertNotNull(first, "the first event published after the stream answered did not reach it");
            lastSeen = first.id();
        }
        Awaitility.await().atMost(Duration.ofSeconds(15)).until(() -> !subscription.attached());

        // published while no stream is open: the gateway does not receive it, so it cannot replay it
        leadEvents.send(stageChanged(lead, contact, "AUTOMATED_MARKETING_QUALIFICATION",
                "TELEPROSPECTING_ACCEPTANCE", 3));
        try (Client back = new Client(gateway, sales, lastSeen)) {
            Sse reset = back.next(Duration.ofSeconds(5), e -> true);
            assertNotNull(reset, "nothing sent to a client resuming from before the subscription was dropped");
            assertEquals("reset", reset.event(), "a client that may have missed events must be told to reload");
            // and it is live again
            UUID next = UUID.randomUUID();
            leadEvents.send(stageChanged(next, contact, "INQUIRY", "AUTOMATED_MARKETING_QUALIFICATION", 2));
            assertNotNull(back.next(Duration.ofSeconds(5), e -> next.toString().equals(e.data().getString("leadId"))));
        }
    }

    @Test
    void anOpenStreamIsToldToReloadOnceTheSubscriptionIsBackAfterTheBrokerConnectionWasLost() throws Exception {
        UUID contact = UUID.randomUUID();
        try (Client client = new Client(gateway, TestTokens.forRoles("marketing"), null)) {
            subscription.dropConnection();
            // events published while the connection is down are lost to the stream: it must hear so
            Sse reset = client.next(Duration.ofSeconds(15), e -> "reset".equals(e.event()));
            assertNotNull(reset, "no reset on an open stream after the broker connection was lost and came back");
            assertTrue(subscription.attached());
            UUID after = UUID.randomUUID();
            leadEvents.send(stageChanged(after, contact, "INQUIRY", "AUTOMATED_MARKETING_QUALIFICATION", 2));
            assertNotNull(client.next(Duration.ofSeconds(5), e -> after.toString().equals(e.data().getString("leadId"))),
                    "the stream is not live again after the subscription came back");
        }
    }
}
